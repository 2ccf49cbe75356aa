package com.cabalmail.example.heartbeat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CognitoUserSyncHandlerTest extends HealthchecksServer {

  @Test
  void confirmedUserIsSyncedBetweenStartAndSuccessAndTheEventIsAnswered() throws Exception {
    List<CognitoUserSyncHandler.User> synced = new ArrayList<>();
    byte[] event = event("cognito-post-confirmation.json").readAllBytes();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();

    new CognitoUserSyncHandler(heartbeat(), synced::add)
        .handleRequest(new ByteArrayInputStream(event), answer);

    assertEquals(List.of(new CognitoUserSyncHandler.User("zoë", "zoe@example.net",
        "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7")), synced);
    assertArrayEquals(event, answer.toByteArray(), "Cognito expects its event back");
    List<LoggedRequest> pings = pings();
    assertEquals(List.of(CHECK + "/start", CHECK), List.of(path(pings.get(0)), path(pings.get(1))));
    assertEquals(pings.get(0).queryParameter("rid").firstValue(),
        pings.get(1).queryParameter("rid").firstValue());
  }

  @Test
  void directoryFailurePingsFailAndIsRethrownUntouched() throws Exception {
    IOException down = new IOException("user table unavailable");

    IOException thrown = assertThrows(IOException.class, () -> new CognitoUserSyncHandler(
        heartbeat(), user -> {
          throw down;
        }).handleRequest(event("cognito-post-confirmation.json"), new ByteArrayOutputStream()));

    assertSame(down, thrown);
    LoggedRequest fail = pings().get(1);
    assertEquals(CHECK + "/fail", path(fail));
    assertEquals("java.io.IOException: user table unavailable", fail.getBodyAsString());
  }

  @Test
  void otherTriggersAreAnsweredWithoutSyncOrPing() throws Exception {
    String event = new String(event("cognito-post-confirmation.json").readAllBytes(),
        StandardCharsets.UTF_8).replace("PostConfirmation_ConfirmSignUp",
        "PostConfirmation_ConfirmForgotPassword");
    ByteArrayOutputStream answer = new ByteArrayOutputStream();

    new CognitoUserSyncHandler(heartbeat(), user -> {
      throw new AssertionError("no sync on a password reset");
    }).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), answer);

    assertEquals(event, answer.toString(StandardCharsets.UTF_8));
    assertTrue(pings().isEmpty());
  }
}
