package com.cabalmail.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A body subscriber that keeps at most {@code cap} bytes and stops reading past them. */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Bytes> {

  record Bytes(byte[] bytes, boolean truncated) {}

  private final int cap;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<Bytes> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private CappedBody(int cap) {
    this.cap = cap;
  }

  static HttpResponse.BodyHandler<Bytes> handler(int cap) {
    return new Handler(cap);
  }

  /** The handler: a class, not a lambda (every exchange of a cold start: ColdPathLambdasIT). */
  private static final class Handler implements HttpResponse.BodyHandler<Bytes> {
    private final int cap;

    Handler(int cap) {
      this.cap = cap;
    }

    @Override
    public HttpResponse.BodySubscriber<Bytes> apply(HttpResponse.ResponseInfo info) {
      return new CappedBody(cap);
    }
  }

  @Override
  public CompletionStage<Bytes> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      int room = cap - buffer.size();
      int take = Math.min(room, item.remaining());
      byte[] chunk = new byte[take];
      item.get(chunk);
      buffer.write(chunk, 0, take);
      if (item.hasRemaining()) {
        result.complete(new Bytes(buffer.toByteArray(), true));
        subscription.cancel();
        return;
      }
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(new Bytes(buffer.toByteArray(), false));
  }
}
