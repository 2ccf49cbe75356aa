package com.cabalmail.alert.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The UTF-8 check agrees with the JDK's strict decoder, and finds faults inside long runs. */
class Utf8Test {

  @Test
  void agreesWithTheJdkStrictDecoderOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(8);
    byte[] alphabet = {'a', '{', (byte) 0x80, (byte) 0xbf, (byte) 0xc2, (byte) 0xc3,
        (byte) 0xdf, (byte) 0xe0, (byte) 0xe2, (byte) 0xed, (byte) 0xef, (byte) 0xf0,
        (byte) 0xf4, (byte) 0xf5, (byte) 0x9f, (byte) 0xa0, (byte) 0x90, (byte) 0xff};
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(24)];
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = random.nextInt(3) == 0 ? (byte) 'x' : alphabet[random.nextInt(alphabet.length)];
      }
      assertEquals(jdkAccepts(bytes), Utf8.problem(bytes, 0, bytes.length) == null,
          () -> java.util.HexFormat.of().formatHex(bytes));
    }
  }

  @Test
  void findsAFaultAfterLongAsciiRunsAtItsExactOffset() {
    for (int at = 0; at < 40; at++) {
      byte[] nul = "x".repeat(40).getBytes(StandardCharsets.US_ASCII);
      nul[at] = 0;
      assertEquals("NUL byte at offset " + at
          + " (only UTF-8 is accepted, not UTF-16 or UTF-32)", Utf8.problem(nul, 0, 40));
      byte[] high = "x".repeat(40).getBytes(StandardCharsets.US_ASCII);
      high[at] = (byte) 0xff;
      assertEquals("byte 0xFF at offset " + at + " never occurs in UTF-8",
          Utf8.problem(high, 0, 40));
    }
  }

  @Test
  void acceptsEveryPlaneOfUnicode() {
    String text = "a\u00e9\u0800\uffef\uD800\uDC00\uD83D\uDD25\uDBFF\uDFFF z".repeat(9);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertNull(Utf8.problem(bytes, 0, bytes.length));
  }

  private static boolean jdkAccepts(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
