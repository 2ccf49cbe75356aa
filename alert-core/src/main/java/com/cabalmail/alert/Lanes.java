package com.cabalmail.alert;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The router's dispatcher: one lane per transport, and one for the delivery ledger, each with
 * its own threads and its own bounded queue. A hung or slow transport fills only its own lane,
 * so it never delays or starves another transport's deliveries, nor the ledger's calls. Within
 * a lane, work runs by rank (highest first: the storm page, then the highest route priority),
 * then in the order submitted, so pages never wait behind records.
 *
 * <p>Threads are daemons, made on demand and ended after {@value #IDLE_SECONDS} s idle. Beyond
 * a lane's queue, a task is refused at once and its {@code saturated} value stands for it.
 */
final class Lanes {

  /** The lane of the delivery ledger's calls: no transport name has a '/'. */
  static final String LEDGER = "/ledger";
  /** The rank of the storm page: before every delivery of its lane. */
  static final int FIRST = Integer.MAX_VALUE;
  private static final long IDLE_SECONDS = 30;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final int threads;
  private final int queued;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicLong order = new AtomicLong();
  private volatile boolean shut;

  Lanes(int threads, int queued) {
    this.threads = threads;
    this.queued = queued;
  }

  /**
   * Runs {@code task} in {@code lane} at {@code rank}; when the lane's queue is full,
   * {@code saturated} stands for its result.
   *
   * @throws IllegalStateException once shut down
   */
  <T> Future<T> submit(String lane, int rank, Callable<T> task, T saturated) {
    if (shut) {
      throw new IllegalStateException("the alert router is closed and takes no new alerts");
    }
    Lane target = lanes.get(lane);
    if (target == null) {
      Lane made = new Lane(lane, threads);
      target = lanes.putIfAbsent(lane, made);
      if (target == null) {
        target = made;
      } else {
        made.pool.shutdown();
      }
    }
    if (target.waiting.incrementAndGet() > queued) {
      target.waiting.decrementAndGet();
      return CompletableFuture.completedFuture(saturated);
    }
    Ranked<T> ranked = new Ranked<>(task, rank, order.incrementAndGet(), target.waiting);
    target.pool.execute(ranked);
    return ranked;
  }

  /** Takes no new work. */
  void shutdown() {
    shut = true;
    for (Lane lane : lanes.values()) {
      lane.pool.shutdown();
    }
  }

  boolean isShutdown() {
    return shut;
  }

  /** Waits up to {@code millis} for every lane to finish its work; false when one did not. */
  boolean awaitTermination(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Lane lane : lanes.values()) {
      long left = end - System.nanoTime();
      if (!lane.pool.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  /** Interrupts what still runs. */
  void shutdownNow() {
    shut = true;
    for (Lane lane : lanes.values()) {
      lane.pool.shutdownNow();
    }
  }

  /** One lane: its threads and a queue ordered by rank, then by submission. */
  private static final class Lane {
    final ThreadPoolExecutor pool;
    final AtomicInteger waiting = new AtomicInteger();

    Lane(String name, int threads) {
      String prefix = "cabal-alert-" + (name.equals(LEDGER) ? "ledger" : name) + "-";
      ThreadFactory daemons = new ThreadFactory() {
        @Override
        public Thread newThread(Runnable task) {
          Thread thread = new Thread(task, prefix + THREADS.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        }
      };
      pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
          new PriorityBlockingQueue<Runnable>(16, BY_RANK), daemons);
      pool.allowCoreThreadTimeOut(true);
    }
  }

  private static final Comparator<Runnable> BY_RANK = new Comparator<Runnable>() {
    @Override
    public int compare(Runnable a, Runnable b) {
      Ranked<?> x = (Ranked<?>) a;
      Ranked<?> y = (Ranked<?>) b;
      if (x.rank != y.rank) {
        return x.rank > y.rank ? -1 : 1;
      }
      return Long.compare(x.order, y.order);
    }
  };

  /** A task with its place in the lane; leaving the queue frees a place in it. */
  private static final class Ranked<T> extends FutureTask<T> {
    final int rank;
    final long order;
    private final AtomicInteger waiting;
    private final AtomicInteger left = new AtomicInteger();

    Ranked(Callable<T> task, int rank, long order, AtomicInteger waiting) {
      super(task);
      this.rank = rank;
      this.order = order;
      this.waiting = waiting;
    }

    @Override
    public void run() {
      leave();
      super.run();
    }

    @Override
    protected void done() {
      leave(); // cancelled while queued: its place is free at once
    }

    private void leave() {
      if (left.compareAndSet(0, 1)) {
        waiting.decrementAndGet();
      }
    }
  }
}
