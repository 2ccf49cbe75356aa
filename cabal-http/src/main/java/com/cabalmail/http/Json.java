package com.cabalmail.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON factory of the project: jackson-core streaming, thread-safe, with limits for
 * hostile input (nesting depth, string, number, name and document length) and duplicate keys
 * rejected; characters beyond U+FFFF are written as raw UTF-8. Parsers and generators are made
 * per call and closed.
 */
public final class Json {

  /** Deepest nesting accepted; real webhook bodies nest four or five levels. */
  public static final int MAX_NESTING_DEPTH = 64;
  /** Longest string value accepted, in characters. */
  public static final int MAX_STRING_LENGTH = 256 * 1024;
  /** Longest number accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 64;
  /** Longest property name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 4 * 1024;
  /** Largest document accepted, in bytes (the Lambda request limit is 6 MB). */
  public static final long MAX_DOCUMENT_LENGTH = 8L * 1024 * 1024;

  private static final JsonFactory FACTORY = build();

  private static JsonFactory build() {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // Emoji and other characters beyond U+FFFF as their own 4 UTF-8 bytes, not escaped
        // surrogate pairs: text arrives byte for byte, and a third of the size.
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
  }

  private Json() {}

  /** The shared factory, for documents with content: webhook bodies, provider answers. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /** What writes one JSON document. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the document through {@code generator}, which the caller flushes and closes. */
    void writeTo(JsonGenerator generator) throws IOException;
  }

  /** Writes one document to UTF-8 bytes. */
  public static byte[] write(Writer writer) {
    Buffer buffer = buffer();
    try {
      writer.writeTo(buffer.generator());
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return buffer.bytes();
  }

  /**
   * A document to write in memory without a callback: {@link #write} is the same with one. The
   * cold path of the Lambda sink writes this way, since each callback (a lambda) costs a class
   * spun at run time there ({@code ColdPathLambdasIT}).
   */
  public static Buffer buffer() {
    return new Buffer();
  }

  /** One document being written to memory: write through {@link #generator}, then take it. */
  public static final class Buffer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final JsonGenerator generator;

    private Buffer() {
      try {
        generator = FACTORY.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException("writing JSON to memory failed", e);
      }
    }

    /** Where to write the document. */
    public JsonGenerator generator() {
      return generator;
    }

    /** Closes the generator; the document's UTF-8 bytes. */
    public byte[] bytes() {
      try {
        generator.close();
      } catch (IOException e) {
        throw new UncheckedIOException("writing JSON to memory failed", e);
      }
      return out.toByteArray();
    }
  }
}
