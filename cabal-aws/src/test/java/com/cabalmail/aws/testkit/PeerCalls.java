package com.cabalmail.aws.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Set-up calls to a local AWS peer (moto, dynalite), as the AWS CLI would send them: JSON
 * protocol, a placeholder signature (neither peer checks it; the client under test signs its
 * own requests) with the {@code X-Amz-Date} that dynalite requires.
 */
final class PeerCalls {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private PeerCalls() {}

  /**
   * Sends one call and answers whatever the peer answered.
   *
   * @param endpoint the peer's base URL
   * @param jsonVersion {@code 1.0} (DynamoDB) or {@code 1.1} (SSM)
   * @param target the {@code X-Amz-Target}, e.g. {@code DynamoDB_20120810.CreateTable}
   * @param service the signing name, for the placeholder credential scope
   */
  static HttpResponse<String> send(String endpoint, String jsonVersion, String target,
      String service, byte[] body) throws IOException, InterruptedException {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    return CLIENT.send(HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .header("Content-Type", "application/x-amz-json-" + jsonVersion)
        .header("X-Amz-Target", target)
        .header("X-Amz-Date", AMZ_DATE.format(now))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
            + AMZ_DATE.format(now).substring(0, 8) + "/" + MotoServer.REGION + "/" + service
            + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0")
        // moto imports a service's code on its first request: slow on a loaded machine
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Whether anything answers HTTP at {@code url} (any status). */
  static boolean answers(String url) {
    try {
      CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
