package com.cabalmail.heartbeat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PingBodyTest {

  @Test
  void bodyWithinTheLimitIsSentWhole() {
    String text = "x".repeat(10_000);
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), PingBody.truncate(text, 10_000));
  }

  @Test
  void fourByteCharactersAreNeverSplit() {
    String text = "\uD83D\uDE80".repeat(100) + "end"; // rocket, 4 bytes in UTF-8

    byte[] cut = PingBody.truncate(text, 50);

    String kept = new String(cut, StandardCharsets.UTF_8);
    assertTrue(cut.length <= 50);
    assertEquals("\uD83D\uDE80".repeat(11) + "end", kept, "whole characters only");
  }

  @Test
  void markerCountsTheBytesDroppedAndFitsTheLimit() {
    String text = "a".repeat(5_000) + "TAIL";

    String kept = new String(PingBody.truncate(text, 1_000), StandardCharsets.UTF_8);

    assertEquals(1_000, kept.getBytes(StandardCharsets.UTF_8).length);
    int dropped = Integer.parseInt(kept.substring("[first ".length(), kept.indexOf(' ', 7)));
    assertEquals(5_004, dropped + kept.length() - kept.indexOf('\n') - 1, "dropped + kept = all");
    assertTrue(kept.endsWith("aTAIL"));
  }
}
