package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.testkit.CapturedLogs;
import com.cabalmail.alert.testkit.Peers;
import com.cabalmail.aws.testkit.MotoServer;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger end to end with moto's DynamoDB as the store (a fresh table per test), reached
 * over signed JSON 1.0 requests as in production; plus the case only a remote store has: the
 * store unreachable, and every alert still delivered.
 */
class DynamoDbLedgerEndToEndIT extends LedgerEndToEnd {

  private static MotoServer moto;
  private static final AtomicInteger TABLES = new AtomicInteger();

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() throws Exception {
    if (moto != null) {
      moto.close();
    }
  }

  static Map<String, String> aws(String endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", MotoServer.REGION);
    env.put("AWS_ACCESS_KEY_ID", "AKIDLEDGERE2E");
    env.put("AWS_SECRET_ACCESS_KEY", "ledger-e2e-aws-secret");
    env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
    return env;
  }

  @Override
  Map<String, String> ledgerSettings() throws Exception {
    String table = "alert-ledger-" + TABLES.incrementAndGet();
    moto.createTable(table, "pk");
    Map<String, String> env = aws(moto.endpoint());
    env.put("ALERT_LEDGER", "dynamodb");
    env.put("ALERT_LEDGER_TABLE", table);
    // moto is a Python server on a shared test machine, not DynamoDB next door: give it time,
    // so that these cases test the ledger, not its fail-open path (tested below).
    env.put("ALERT_LEDGER_TIMEOUT", "3s");
    return env;
  }

  @Test
  void theLedgerUnreachableStillDeliversAndSaysSo() throws Exception {
    Map<String, String> unreachable = aws("http://127.0.0.1:" + Peers.freePort());
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
