package com.cabalmail.bench;

import com.cabalmail.sink.SinkHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * What the Lambda runtime does on a cold start, and nothing more: construct
 * {@link SinkHandler} (init: SSM read, HTTP client, transports) and call it with one event.
 * Prints the wall-clock milliseconds at which init ended and the response was complete, for
 * {@code benchmarks/cold-start.sh} to subtract the launch time from.
 */
public final class ColdStart {

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    byte[] event = Files.readAllBytes(Paths.get(args[0]));
    SinkHandler handler = new SinkHandler();
    long initDone = System.currentTimeMillis();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), response);
    long answered = System.currentTimeMillis();
    System.out.println("COLD-START init-done-ms=" + initDone + " response-ms=" + answered
        + " response=" + response.toString(StandardCharsets.UTF_8));
    System.out.flush();
    System.exit(0);
  }
}
