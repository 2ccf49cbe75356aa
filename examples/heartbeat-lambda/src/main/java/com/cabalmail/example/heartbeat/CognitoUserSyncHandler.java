package com.cabalmail.example.heartbeat;

import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.http.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cognito user sync: a Cognito {@code PostConfirmation} trigger that hands each confirmed user
 * to the mail system's user directory, wrapped in {@link Heartbeat#run(java.util.concurrent.Callable)}:
 * start, the sync, then success, or fail with the exception, which is rethrown untouched (so
 * Cognito reports the confirmation as failed). The trigger's contract is to answer with the
 * event it received, which this handler does.
 *
 * <p>The directory step here records the user as one JSON log line; a site passes its own
 * {@link UserDirectory}.
 *
 * <p>Handler string: {@code com.cabalmail.example.heartbeat.CognitoUserSyncHandler::handleRequest}.
 */
public final class CognitoUserSyncHandler {

  private static final Logger log = LoggerFactory.getLogger(CognitoUserSyncHandler.class);

  static final String PING_PARAMETER = "/cabal/healthcheck_ping_cognito-user-sync";
  private static final Set<String> FIELDS = Set.of("triggerSource", "userName",
      "request.userAttributes.email", "request.userAttributes.sub");

  /** A confirmed user. */
  record User(String userName, String email, String sub) {}

  /** Where users go. */
  @FunctionalInterface
  interface UserDirectory {
    void add(User user) throws IOException;
  }

  private final Heartbeat heartbeat;
  private final UserDirectory directory;

  /** For the Lambda runtime: the ping URL is read from SSM once, at cold start. */
  public CognitoUserSyncHandler() {
    this(Heartbeat.fromSsmParameter(PING_PARAMETER), CognitoUserSyncHandler::logUser);
  }

  CognitoUserSyncHandler(Heartbeat heartbeat, UserDirectory directory) {
    this.heartbeat = heartbeat;
    this.directory = directory;
  }

  /** Syncs the user of one trigger event and answers with the event. */
  public void handleRequest(InputStream input, OutputStream output) throws Exception {
    byte[] event = input.readAllBytes();
    Map<String, String> fields = EventFields.read(new ByteArrayInputStream(event), FIELDS);
    String trigger = fields.getOrDefault("triggerSource", "");
    if (trigger.equals("PostConfirmation_ConfirmSignUp")) {
      User user = new User(required(fields, "userName"),
          fields.get("request.userAttributes.email"), fields.get("request.userAttributes.sub"));
      heartbeat.run(() -> {
        directory.add(user);
        return user;
      });
    } else {
      log.debug("trigger {} needs no sync", trigger);
    }
    output.write(event);
  }

  private static String required(Map<String, String> fields, String path) throws IOException {
    String value = fields.get(path);
    if (value == null || value.isBlank()) {
      throw new IOException("the Cognito event has no " + path);
    }
    return value;
  }

  private static void logUser(User user) {
    log.info(new String(Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("event", "cognito-user-confirmed");
      json.writeStringField("userName", user.userName());
      json.writeStringField("sub", user.sub());
      json.writeEndObject();
    }), StandardCharsets.UTF_8));
  }
}
