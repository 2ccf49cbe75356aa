package com.cabalmail.bench;

import com.cabalmail.http.Deadline;
import com.cabalmail.http.Exchange;
import com.cabalmail.http.HttpDelivery;
import com.cabalmail.http.RetryPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The floor under the sink's cold start: a fresh JVM that only builds the shared
 * {@code java.net.http} client (TLS context and trust store included, as every client does)
 * and POSTs once to a loopback URL. {@code cold-start.sh} runs it with {@code FLOOR=1}.
 */
public final class HttpClientFloor {

  private HttpClientFloor() {}

  public static void main(String[] args) throws Exception {
    HttpDelivery.warmUp();
    long initDone = System.currentTimeMillis();
    Exchange answer = HttpDelivery.shared().send("floor",
        HttpRequest.newBuilder(URI.create(args[0])).POST(HttpRequest.BodyPublishers.ofString("{}")),
        RetryPolicy.standard(), Deadline.after(Duration.ofSeconds(5)));
    long answered = System.currentTimeMillis();
    System.out.println("COLD-START init-done-ms=" + initDone + " response-ms=" + answered
        + " status=" + answer.statusCode());
    System.out.flush();
    System.exit(0);
  }
}
