package com.cabalmail.alert.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF, and no NUL byte (JSON text never contains one, and a NUL is the mark of UTF-16 or
 * UTF-32, which the parser would otherwise detect and accept).
 */
final class Utf8 {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Utf8() {}

  /** Whether all eight bytes are ASCII and none is NUL (the classic has-zero-byte test). */
  private static boolean isPlainAscii(long eight) {
    return ((((eight - ONES) & ~eight) | eight) & HIGHS) == 0;
  }

  /** Null when {@code bytes[from..to)} is valid; otherwise what is wrong and at which offset. */
  static String problem(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      while (i + Long.BYTES <= to && isPlainAscii((long) LONGS.get(bytes, i))) {
        i += Long.BYTES;
      }
      if (i == to) {
        break;
      }
      int b = bytes[i];
      if (b > 0) {
        i++;
        continue;
      }
      if (b == 0) {
        return "NUL byte at offset " + i + " (only UTF-8 is accepted, not UTF-16 or UTF-32)";
      }
      int lead = b & 0xff;
      int length;
      int min;
      if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        min = 0x80;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        min = 0x800;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        min = 0x10000;
      } else if (lead >= 0x80 && lead <= 0xbf) {
        return "unexpected continuation byte " + hex(lead) + " at offset " + i;
      } else {
        return "byte " + hex(lead) + " at offset " + i + " never occurs in UTF-8";
      }
      if (i + length > to) {
        return "sequence starting with " + hex(lead) + " at offset " + i
            + " is cut off by the end of the body";
      }
      int codePoint = lead & (0xff >> (length + 1));
      for (int k = 1; k < length; k++) {
        int next = bytes[i + k] & 0xff;
        if ((next & 0xc0) != 0x80) {
          return "byte " + hex(lead) + " at offset " + i + " is not followed by a continuation"
              + " byte (found " + hex(next) + " at offset " + (i + k) + ")";
        }
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      if (codePoint < min) {
        return "overlong encoding at offset " + i;
      }
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
        return String.format("encoded surrogate U+%04X at offset %d", codePoint, i);
      }
      if (codePoint > 0x10ffff) {
        return "code point above U+10FFFF at offset " + i;
      }
      i += length;
    }
    return null;
  }

  private static String hex(int b) {
    return String.format("0x%02X", b);
  }
}
