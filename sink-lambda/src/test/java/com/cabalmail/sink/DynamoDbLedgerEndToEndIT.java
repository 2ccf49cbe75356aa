package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.alert.ledger.dynamodb.DynaliteLedgers;
import com.cabalmail.aws.testkit.MotoTables;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger end to end with the DynamoDB ledger on dynalite (a fresh table per test), which
 * locks each item as DynamoDB does, so that "two concurrent requests page once" proves
 * something (moto races: it stays for the wire format, in alert-ledger-dynamodb); reached over
 * signed JSON 1.0 requests as in production. Plus the case only a remote store has: the store
 * unreachable, and every alert still delivered.
 */
class DynamoDbLedgerEndToEndIT extends LedgerEndToEnd {

  @RegisterExtension
  static final DynaliteLedgers DYNALITE = new DynaliteLedgers();

  @Override
  Map<String, String> ledgerSettings() throws Exception {
    Map<String, String> env = DYNALITE.ledgerSettings();
    // A Node server on a shared test machine, not DynamoDB next door: give it time, so that
    // these cases test the ledger, not its fail-open path (tested below).
    env.put("ALERT_LEDGER_TIMEOUT", "3s");
    return env;
  }

  @Test
  void theLedgerUnreachableStillDeliversAndSaysSo() throws Exception {
    Map<String, String> unreachable =
        MotoTables.environment("http://127.0.0.1:" + Peers.freePort());
    unreachable.put("ALERT_LEDGER", "dynamodb");
    unreachable.put("ALERT_LEDGER_TABLE", "alert-ledger-nowhere");
    startSink(unreachable);

    HttpResponse<String> answer = postDirect(DOWN);

    assertEquals(200, answer.statusCode(), answer.body());
    assertTrue(answer.body().contains("\"ledger\":\"unavailable\""), answer.body());
    assertEquals(1, stubs.pushoverMessages().size(), "the page went out");
    assertEquals(1, ntfyAccepted(), "the ntfy message went out");
    assertTrue(CapturedLogs.text().contains("ledger=unavailable"), CapturedLogs.text());
  }
}
