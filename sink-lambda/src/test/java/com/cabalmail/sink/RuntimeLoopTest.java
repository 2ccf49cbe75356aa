package com.cabalmail.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cabalmail.alert.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The custom runtime's loop against a loopback Runtime API. */
class RuntimeLoopTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-21T10:15:30Z"), ZoneOffset.UTC);

  private final RuntimeApiStandIn api = startApi();
  private CompletableFuture<Integer> loop;

  private static RuntimeApiStandIn startApi() {
    try {
      return RuntimeApiStandIn.start(CLOCK);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() throws Exception {
    api.stopServing();
    if (loop != null) {
      assertEquals(1, loop.get(10, TimeUnit.SECONDS), "a loop whose Runtime API is gone exits 1");
    }
    api.close();
  }

  private void serve(RuntimeLoop.Init init) {
    loop = CompletableFuture.supplyAsync(
        () -> RuntimeLoop.run(Map.of(RuntimeApi.ADDRESS, api.address()), init, CLOCK));
  }

  private static RuntimeApiStandIn.Posted await(CompletableFuture<RuntimeApiStandIn.Posted> f)
      throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void functionUrlEventIsAnsweredThroughTheSinkAndPostedAsTheResponse() throws Exception {
    SinkHandler handler = new SinkHandlerEventsTest().handler();
    serve(() -> handler::handle);

    RuntimeApiStandIn.Posted posted = await(api.invoke(
        SinkHandlerEventsTest.resource("functionurl-event.json"), Duration.ofSeconds(10), null));

    assertEquals("response", posted.kind());
    assertTrue(posted.text().contains("\"statusCode\":204"), posted.text());
  }

  @Test
  void handlerFailureIsPostedAsAnErrorAndTheNextEventIsStillServed() throws Exception {
    serve(() -> (event, budget) -> {
      if (new String(event, StandardCharsets.UTF_8).equals("boom")) {
        throw new IllegalStateException("handler broke on purpose");
      }
      return "{\"statusCode\":204}".getBytes(StandardCharsets.UTF_8);
    });

    RuntimeApiStandIn.Posted failed = await(api.invoke(bytes("boom"), Duration.ofSeconds(10), null));
    RuntimeApiStandIn.Posted next = await(api.invoke(bytes("{}"), Duration.ofSeconds(10), null));

    assertEquals("error", failed.kind());
    assertEquals("Function.IllegalStateException", failed.headers().get(RuntimeApi.ERROR_TYPE));
    assertTrue(failed.text().contains("\"errorType\":\"java.lang.IllegalStateException\""),
        failed.text());
    assertTrue(failed.text().contains("\"errorMessage\":\"handler broke on purpose\""));
    assertTrue(failed.text().contains("\"stackTrace\":[\""), failed.text());
    assertEquals("response", next.kind());
    assertEquals("{\"statusCode\":204}", next.text());
  }

  @Test
  void configurationProblemAtInitIsPostedToInitErrorAndTheProcessExitsOne() throws Exception {
    int status = RuntimeLoop.run(Map.of(RuntimeApi.ADDRESS, api.address()), () -> {
      throw new ConfigException(List.of("ALERT_SECRET: the shared secret callers send is not set"));
    }, CLOCK);

    RuntimeApiStandIn.Posted posted = await(api.initError());
    assertEquals(1, status);
    assertEquals("Runtime.ConfigInvalid", posted.headers().get(RuntimeApi.ERROR_TYPE));
    assertTrue(posted.text().contains("\"errorType\":\"com.cabalmail.alert.ConfigException\""));
    assertTrue(posted.text().contains("ALERT_SECRET"), posted.text());
  }

  @Test
  void invocationDeadlineLessTheMarginBoundsTheDeliveries() throws Exception {
    List<Duration> budgets = new CopyOnWriteArrayList<>();
    serve(() -> (event, budget) -> {
      budgets.add(budget);
      return bytes("{}");
    });

    await(api.invoke(bytes("{}"), Duration.ofSeconds(3), null));

    assertEquals(List.of(Duration.ofMillis(2500)), budgets);
  }

  @Test
  void budgetIsNeverNegativeAndAbsentWithoutADeadline() {
    Instant now = CLOCK.instant();
    assertEquals(Duration.ZERO, RuntimeLoop.budget(Optional.of(now.plusMillis(100)), now));
    assertNull(RuntimeLoop.budget(Optional.empty(), now));
  }

  @Test
  void traceIdIsExportedForTheInvocationAndClearedForOneWithout() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    serve(() -> (event, budget) -> {
      seen.add(String.valueOf(System.getProperty(RuntimeLoop.TRACE_PROPERTY)));
      return bytes("{}");
    });
    String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    await(api.invoke(bytes("{}"), Duration.ofSeconds(10), trace));
    await(api.invoke(bytes("{}"), Duration.ofSeconds(10), null));

    assertEquals(List.of(trace, "null"), seen);
  }

  @Test
  void withoutARuntimeApiTheLoopRefusesToStart() {
    assertEquals(2, RuntimeLoop.run(Map.of(), () -> (event, budget) -> event, CLOCK));
    assertFalse(api.initError().isDone());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
