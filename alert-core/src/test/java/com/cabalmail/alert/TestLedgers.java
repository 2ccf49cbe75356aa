package com.cabalmail.alert;

import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerProvider;
import com.cabalmail.alert.spi.Settings;

/** Ledger plugins for the discovery tests, listed only by a test's own class loader. */
public final class TestLedgers {

  private TestLedgers() {}

  /** "book": needs BOOK_TABLE, a whole table name. */
  public static class Book implements LedgerProvider {
    @Override
    public String name() {
      return "book";
    }

    @Override
    public DeliveryLedger create(Settings settings) {
      String table = settings.required("BOOK_TABLE", "the book ledger is chosen");
      return table.isEmpty() ? null : DeliveryLedger.inMemory();
    }
  }

  /** A second "book". */
  public static final class BookTwin extends Book {}

  /** Fails to load: its constructor throws. */
  public static final class BrokenLedger extends Book {
    public BrokenLedger() {
      throw new IllegalStateException("this ledger cannot start");
    }
  }

  /** {@code name()} is null. */
  public static final class NullNameLedger extends Book {
    @Override
    public String name() {
      return null;
    }
  }
}
