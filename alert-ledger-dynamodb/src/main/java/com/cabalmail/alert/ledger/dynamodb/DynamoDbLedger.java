package com.cabalmail.alert.ledger.dynamodb;

import com.cabalmail.alert.ledger.Acknowledgement;
import com.cabalmail.alert.ledger.Claim;
import com.cabalmail.alert.ledger.DeliveryLedger;
import com.cabalmail.alert.ledger.LedgerEntry;
import com.cabalmail.alert.ledger.LedgerException;
import com.cabalmail.alert.ledger.LedgerKey;
import com.cabalmail.aws.AttributeValue;
import com.cabalmail.aws.AwsException;
import com.cabalmail.aws.Condition;
import com.cabalmail.aws.DynamoDb;
import com.cabalmail.aws.WriteOutcome;
import com.cabalmail.http.Deadline;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery ledger in a DynamoDB table: one item per {@link LedgerKey}, partition key
 * {@code pk} (String) holding {@link LedgerKey#id()}, and {@code expires} (epoch seconds, rounded
 * up) as the table's TTL attribute. A claim is one conditional {@code PutItem}
 * ({@code attribute_not_exists(pk) OR expires <= :now OR claim = :mine}: a retried claim whose
 * first write was applied is the caller's own), atomic per item, whose failure returns the
 * holding item ({@code ReturnValuesOnConditionCheckFailure: ALL_OLD}), or, from a store that
 * returns none, a consistent {@code GetItem} reads it. A settle is a {@code PutItem}
 * conditional on the claim; a release a {@code DeleteItem} conditional on the claim; a forget
 * a {@code DeleteItem} conditional on {@code recorded}. An acknowledgement or a silence amends
 * a delivered item by the same conditional {@code PutItem} as a settle, adding the attributes
 * {@code ackBy}, {@code ackDevice}, {@code ackAt} (epoch ms), {@code ackVia} and {@code silence}.
 * A scope's generation is an item {@code scope/<token>}.
 * Reads are consistent. Expired items that TTL has not yet deleted are treated as absent.
 * Every failure is a {@link LedgerException} naming the table and the operation, never a
 * credential.
 */
final class DynamoDbLedger implements DeliveryLedger {

  static final String PK = "pk";
  static final String STATE = "state";
  static final String CLAIM = "claim";
  static final String RECORDED = "recorded";
  static final String EXPIRES = "expires";
  static final String MESSAGE_ID = "messageId";
  static final String HANDLE = "handle";
  static final String DETAIL = "detail";
  static final String ACK_BY = "ackBy";
  static final String ACK_DEVICE = "ackDevice";
  static final String ACK_AT = "ackAt";
  static final String ACK_VIA = "ackVia";
  static final String SILENCE = "silence";
  static final String GENERATION = "generation";
  static final String SCOPE = "scope/";

  private final DynamoDb dynamo;
  private final String table;

  DynamoDbLedger(DynamoDb dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public String name() {
    return "dynamodb";
  }

  @Override
  public Claim claim(LedgerEntry claim, Instant now, Deadline deadline) {
    Condition free = new Condition(
        "attribute_not_exists(" + PK + ") OR #e <= :now OR (#s = :claimed AND #c = :mine)",
        Map.of("#e", EXPIRES, "#s", STATE, "#c", CLAIM),
        Map.of(":now", AttributeValue.n(now.getEpochSecond()),
            ":claimed", AttributeValue.s(LedgerEntry.State.CLAIMED.name()),
            ":mine", AttributeValue.s(claim.claimId())));
    WriteOutcome outcome;
    try {
      outcome = dynamo.putItem(table, item(claim), free, deadline);
    } catch (AwsException e) {
      throw failure("claiming " + claim.key(), e);
    }
    if (!(outcome instanceof WriteOutcome.ConditionFailed)) {
      return new Claim.Granted(claim);
    }
    Map<String, AttributeValue> old = ((WriteOutcome.ConditionFailed) outcome).oldItem();
    if (old.isEmpty()) { // a store that returns no old item: read it
      Optional<LedgerEntry> holder = find(claim.key(), deadline);
      if (holder.isEmpty()) {
        // Deleted between the write and the read (a recovery, a release): the key was free an
        // instant ago; doubt resolves toward sending.
        throw new LedgerException("dynamodb table " + table + ": the claim of " + claim.key()
            + " failed its condition, but the holding item was gone when read");
      }
      return held(claim, holder.get(), now);
    }
    return held(claim, entry(old), now);
  }

  /** A holder that is this very claim (its earlier write applied) grants it after all. */
  private static Claim held(LedgerEntry claim, LedgerEntry holder, Instant now) {
    if (holder.state() == LedgerEntry.State.CLAIMED
        && holder.claimId().equals(claim.claimId())) {
      return new Claim.Granted(holder);
    }
    if (!holder.isLive(now)) { // expired between the write and the read
      throw new LedgerException("the claim of " + claim.key() + " failed its condition against"
          + " an expired item");
    }
    return new Claim.Held(holder);
  }

  @Override
  public boolean settle(LedgerEntry entry, Deadline deadline) {
    Condition ours = new Condition("#c = :id", Map.of("#c", CLAIM),
        Map.of(":id", AttributeValue.s(entry.claimId())));
    try {
      return !(dynamo.putItem(table, item(entry), ours, deadline)
          instanceof WriteOutcome.ConditionFailed);
    } catch (AwsException e) {
      throw failure("recording " + entry.key() + " as " + entry.state(), e);
    }
  }

  @Override
  public void release(LedgerKey key, String claimId, Deadline deadline) {
    Condition ours = new Condition("#s = :claimed AND #c = :id", Map.of("#s", STATE, "#c", CLAIM),
        Map.of(":claimed", AttributeValue.s(LedgerEntry.State.CLAIMED.name()),
            ":id", AttributeValue.s(claimId)));
    try {
      dynamo.deleteItem(table, key(key), ours, deadline); // not ours any more: left alone
    } catch (AwsException e) {
      throw failure("releasing " + key, e);
    }
  }

  @Override
  public Optional<LedgerEntry> find(LedgerKey key, Deadline deadline) {
    try {
      Optional<Map<String, AttributeValue>> item = dynamo.getItem(table, key(key), true, deadline);
      return item.isPresent() ? Optional.of(entry(item.get())) : Optional.empty();
    } catch (AwsException e) {
      throw failure("reading " + key, e);
    }
  }

  @Override
  public void forget(LedgerKey key, Instant recordedBy, Deadline deadline) {
    // An absent item passes too: deleting it is a no-op, and a failed condition would cost an
    // error answer (and an exception) on every first firing of an alert.
    Condition older = new Condition("attribute_not_exists(" + PK + ") OR #r <= :by",
        Map.of("#r", RECORDED),
        Map.of(":by", AttributeValue.n(recordedBy.toEpochMilli())));
    try {
      dynamo.deleteItem(table, key(key), older, deadline); // a later entry is left alone
    } catch (AwsException e) {
      throw failure("clearing " + key, e);
    }
  }

  @Override
  public String generation(String scope, Instant now, Deadline deadline) {
    Optional<Map<String, AttributeValue>> item;
    try {
      item = dynamo.getItem(table, Map.of(PK, AttributeValue.s(SCOPE + scope)), true, deadline);
    } catch (AwsException e) {
      throw failure("reading the generation of " + scope, e);
    }
    if (item.isEmpty() || number(item.get(), EXPIRES) <= now.getEpochSecond()) {
      return "0";
    }
    return text(item.get(), GENERATION);
  }

  @Override
  public void advance(String scope, String generation, Instant since, Instant expires,
      Deadline deadline) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, AttributeValue.s(SCOPE + scope));
    item.put(GENERATION, AttributeValue.s(generation));
    item.put(RECORDED, AttributeValue.n(since.toEpochMilli()));
    item.put(EXPIRES, AttributeValue.n(epochSecondsRoundedUp(expires)));
    Condition newer = new Condition("attribute_not_exists(" + PK + ") OR #r < :since",
        Map.of("#r", RECORDED), Map.of(":since", AttributeValue.n(since.toEpochMilli())));
    try {
      dynamo.putItem(table, item, newer, deadline); // a later generation is left alone
    } catch (AwsException e) {
      throw failure("advancing the generation of " + scope, e);
    }
  }

  private LedgerException failure(String what, AwsException e) {
    return new LedgerException("dynamodb table " + table + ": " + what + ": " + e.getMessage(),
        e);
  }

  static Map<String, AttributeValue> key(LedgerKey key) {
    return Map.of(PK, AttributeValue.s(key.id()));
  }

  static Map<String, AttributeValue> item(LedgerEntry entry) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, AttributeValue.s(entry.key().id()));
    item.put(STATE, AttributeValue.s(entry.state().name()));
    item.put(CLAIM, AttributeValue.s(entry.claimId()));
    item.put(RECORDED, AttributeValue.n(entry.recorded().toEpochMilli()));
    item.put(EXPIRES, AttributeValue.n(epochSecondsRoundedUp(entry.expires())));
    if (entry.messageId().isPresent()) {
      item.put(MESSAGE_ID, AttributeValue.s(entry.messageId().get()));
    }
    if (entry.handle().isPresent()) {
      item.put(HANDLE, AttributeValue.s(entry.handle().get()));
    }
    if (!entry.detail().isEmpty()) {
      item.put(DETAIL, AttributeValue.s(entry.detail()));
    }
    if (entry.acknowledged().isPresent()) {
      Acknowledgement ack = entry.acknowledged().get();
      item.put(ACK_BY, AttributeValue.s(ack.by().isEmpty() ? "-" : ack.by()));
      item.put(ACK_DEVICE, AttributeValue.s(ack.device().isEmpty() ? "-" : ack.device()));
      item.put(ACK_AT, AttributeValue.n(ack.at().toEpochMilli()));
      item.put(ACK_VIA, AttributeValue.s(ack.via()));
    }
    if (entry.silence().isPresent()) {
      item.put(SILENCE, AttributeValue.s(entry.silence().get()));
    }
    return item;
  }

  static long epochSecondsRoundedUp(Instant instant) {
    return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
  }

  /**
   * The entry an item holds.
   *
   * @throws LedgerException naming the attribute that is missing or of the wrong type
   */
  static LedgerEntry entry(Map<String, AttributeValue> item) {
    String pk = text(item, PK);
    LedgerKey key;
    LedgerEntry.State state;
    try {
      key = LedgerKey.parse(pk);
      state = LedgerEntry.State.valueOf(text(item, STATE));
    } catch (IllegalArgumentException e) {
      throw new LedgerException("dynamodb item '" + pk + "' is not a ledger entry: "
          + e.getMessage());
    }
    Optional<Acknowledgement> ack = Optional.empty();
    if (item.containsKey(ACK_AT)) {
      ack = Optional.of(new Acknowledgement(dash(text(item, ACK_BY)), dash(text(item, ACK_DEVICE)),
          Instant.ofEpochMilli(number(item, ACK_AT)), text(item, ACK_VIA)));
    }
    return new LedgerEntry(key, state, text(item, CLAIM),
        Instant.ofEpochMilli(number(item, RECORDED)), Instant.ofEpochSecond(number(item, EXPIRES)),
        optionalText(item, MESSAGE_ID), optionalText(item, HANDLE),
        optionalText(item, DETAIL).orElse(""), ack, optionalText(item, SILENCE));
  }

  /** DynamoDB keeps no empty string in older stores: an empty text is written as "-". */
  private static String dash(String text) {
    return text.equals("-") ? "" : text;
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    Optional<String> text = optionalText(item, name);
    if (text.isEmpty()) {
      throw new LedgerException("dynamodb ledger item lacks the string attribute '" + name + "'");
    }
    return text.get();
  }

  private static Optional<String> optionalText(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof AttributeValue.S)) {
      throw new LedgerException("dynamodb ledger item attribute '" + name + "' is not a string");
    }
    return Optional.of(((AttributeValue.S) value).value());
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    if (!(value instanceof AttributeValue.N)) {
      throw new LedgerException("dynamodb ledger item attribute '" + name
          + "' is missing or not a number");
    }
    try {
      return ((AttributeValue.N) value).longValue();
    } catch (ArithmeticException e) {
      throw new LedgerException("dynamodb ledger item attribute '" + name
          + "' is not a whole number");
    }
  }

  @Override
  public String toString() {
    return "DynamoDbLedger[" + table + ", " + dynamo + "]";
  }
}
