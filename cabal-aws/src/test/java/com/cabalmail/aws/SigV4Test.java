package com.cabalmail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.http.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigV4Test {

  static final Secret SECRET = Secret.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

  /** AWS's documented example: IAM ListUsers, GET with a query, no session token. */
  @Test
  void signsAwsIamListUsersExampleAsDocumented() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "iam.amazonaws.com");
    headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    SigV4.Request request = new SigV4.Request(
        "GET", "/", "Version=2010-05-08&Action=ListUsers", headers, new byte[0]);
    AwsCredentials credentials =
        AwsCredentials.of("AKIDEXAMPLE", SECRET, Optional.empty());

    SigV4.Signed signed = new SigV4("us-east-1", "iam")
        .sign(request, credentials, Instant.parse("2015-08-30T12:36:00Z"));

    assertEquals("GET\n/\nAction=ListUsers&Version=2010-05-08\n"
        + "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
        + "host:iam.amazonaws.com\n"
        + "x-amz-date:20150830T123600Z\n\n"
        + "content-type;host;x-amz-date\n"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        signed.canonicalRequest());
    assertEquals("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
        sha256Hex(signed.canonicalRequest()));
    assertEquals("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
        + "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
        signed.stringToSign());
    assertEquals("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
        SigV4.hex(signed.signingKey()));
    assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        signed.signature());
    assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date, "
        + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        signed.headersToAdd().get("Authorization"));
    assertEquals("20150830T123600Z", signed.headersToAdd().get("X-Amz-Date"));
    assertFalse(signed.headersToAdd().containsKey("X-Amz-Security-Token"));
  }

  /** The SSM GetParameter vector of PROTOCOLS.md: POST, JSON 1.1 body, session token. */
  @Test
  void signsSsmGetParameterWithSessionTokenAsComputedIndependently() {
    byte[] body = "{\"Name\":\"/cabal/alerting/pushover-token\",\"WithDecryption\":true}"
        .getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.1");
    headers.put("Host", "ssm.us-east-1.amazonaws.com");
    headers.put("X-Amz-Target", "AmazonSSM.GetParameter");
    AwsCredentials credentials =
        AwsCredentials.of("AKIDEXAMPLE", SECRET, Optional.of(Secret.of(TOKEN)));

    SigV4.Signed signed = new SigV4("us-east-1", "ssm").sign(
        new SigV4.Request("POST", "/", "", headers, body), credentials,
        Instant.parse("2026-08-21T12:00:00Z"));

    assertEquals("c7d3050d81e38440513b75a3e2a4ada971844e83d762d95e5c84250be8158f07",
        SigV4.hex(SigV4.sha256(body)));
    assertTrue(signed.canonicalRequest().startsWith("POST\n/\n\n"
        + "content-type:application/x-amz-json-1.1\n"
        + "host:ssm.us-east-1.amazonaws.com\n"
        + "x-amz-date:20260821T120000Z\n"
        + "x-amz-security-token:" + TOKEN + "\n"
        + "x-amz-target:AmazonSSM.GetParameter\n\n"
        + "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n"),
        signed.canonicalRequest());
    assertEquals("89882fe9d1672b5b0090ccf6fa4825facba45aad3ef7ce9abdfe3697bcad1d3a",
        sha256Hex(signed.canonicalRequest()));
    assertEquals("38c8266f87f92774c7a20290c9e3f9ab17d8df6a0cfce7a91e7413d6d7ada6b0",
        signed.signature());
    assertEquals(TOKEN, signed.headersToAdd().get("X-Amz-Security-Token"));
    assertTrue(signed.headersToAdd().get("Authorization").startsWith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260821/us-east-1/ssm/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "));
  }

  @Test
  void headerValuesAreTrimmedAndInnerWhitespaceCollapsed() {
    Map<String, String> headers = Map.of("Host", "example.com", "X-Odd", "  a   b \t c  ");
    SigV4.Signed signed = new SigV4("us-east-1", "ssm").sign(
        new SigV4.Request("POST", "/", "", headers, new byte[0]),
        AwsCredentials.of("AKIDEXAMPLE", SECRET, Optional.empty()),
        Instant.parse("2026-08-21T12:00:00Z"));

    assertTrue(signed.canonicalRequest().contains("\nx-odd:a b c\n"), signed.canonicalRequest());
  }

  @Test
  void credentialsNeverPrintTheirSecrets() {
    AwsCredentials credentials =
        AwsCredentials.of("AKIDEXAMPLE", SECRET, Optional.of(Secret.of(TOKEN)));

    assertFalse(credentials.toString().contains(SECRET.reveal()));
    assertFalse(credentials.toString().contains(TOKEN));
  }

  static String sha256Hex(String text) {
    return SigV4.hex(SigV4.sha256(text.getBytes(StandardCharsets.UTF_8)));
  }
}
