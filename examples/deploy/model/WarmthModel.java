import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How many real alerts still meet a cold start when a Watchdog keeps the sink's Lambda warm: a
 * seeded discrete-event simulation of one year, run with {@code java WarmthModel.java}
 * (JDK 17+, no build). Its assumptions, none documented by AWS:
 *
 * <ul>
 *   <li>An execution environment left idle longer than T is reclaimed (observed 5 to 15
 *       minutes; each row fixes T, or draws it per idle period uniformly from 5 to 15 min).
 *   <li>An environment serves one request at a time; a request finding no idle, live
 *       environment starts a new one (a cold start).
 *   <li>Optionally, environments are recycled after a lifetime L even when busy (observed as a
 *       few hours; 2 h here), so the next request there is cold.
 *   <li>Real alert requests arrive as a Poisson process (rate per day in the row), each taking
 *       300 ms warm, 900 ms cold; Watchdog requests take 100 ms warm, 700 ms cold.
 *   <li>Alertmanager re-sends the Watchdog at the first group_interval tick after
 *       repeat_interval, so the period is repeat_interval + group_interval (5m + 1m = 6 min).
 * </ul>
 */
public final class WarmthModel {

  static final double MIN = 60.0;
  static final double DAY = 86_400.0;
  static final double YEAR = 365 * DAY;

  record Env(double busyUntil, double lastUsed, double born, double idleLimit) {}

  /** Fraction of real requests that met a cold start. */
  static double[] run(double watchdogPeriod, double idleMin, double idleMax, double lifetime,
      double realPerDay, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Env> envs = new ArrayList<>();
    double nextReal = exp(random, DAY / realPerDay);
    double nextWatchdog = watchdogPeriod > 0 ? random.nextDouble() * watchdogPeriod
        : Double.MAX_VALUE;
    long real = 0;
    long realCold = 0;
    long watchdogs = 0;
    while (true) {
      boolean isReal = nextReal <= nextWatchdog;
      double t = isReal ? nextReal : nextWatchdog;
      if (t > YEAR) {
        break;
      }
      envs.removeIf(e -> e.busyUntil() <= t
          && (t - e.lastUsed() > e.idleLimit() || (lifetime > 0 && t - e.born() > lifetime)));
      Env warm = null;
      for (Env e : envs) {
        if (e.busyUntil() <= t) {
          warm = e;
          break;
        }
      }
      boolean cold = warm == null;
      double duration = (isReal ? 0.3 : 0.1) + (cold ? 0.6 : 0);
      double idle = idleMin + random.nextDouble() * (idleMax - idleMin);
      if (cold) {
        envs.add(new Env(t + duration, t + duration, t, idle));
      } else {
        envs.remove(warm);
        envs.add(new Env(t + duration, t + duration, warm.born(), idle));
      }
      if (isReal) {
        real++;
        realCold += cold ? 1 : 0;
        nextReal = t + exp(random, DAY / realPerDay);
      } else {
        watchdogs++;
        nextWatchdog = t + watchdogPeriod;
      }
    }
    return new double[] {real == 0 ? 0 : (double) realCold / real, real, watchdogs / 12.0};
  }

  static double exp(SplittableRandom random, double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  public static void main(String[] args) {
    System.out.println("| Watchdog period | idle reclaim T | real alerts/day | cold, no recycling"
        + " | cold, 2 h lifetime | Watchdog invocations/month |");
    System.out.println("|---|---|---|---|---|---|");
    double[][] idles = {{5, 5}, {10, 10}, {15, 15}, {5, 15}};
    double[] periods = {0, 6, 11, 16};
    for (double perDay : new double[] {4, 48}) {
      for (double period : periods) {
        for (double[] idle : idles) {
          double[] plain = run(period * MIN, idle[0] * MIN, idle[1] * MIN, 0, perDay, 42);
          double[] recycled = run(period * MIN, idle[0] * MIN, idle[1] * MIN, 2 * 3600, perDay,
              42);
          System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.1f%% | %.1f%% | %.0f |%n",
              period == 0 ? "none" : String.format(Locale.ROOT, "%.0f min", period),
              idle[0] == idle[1] ? String.format(Locale.ROOT, "%.0f min", idle[0])
                  : String.format(Locale.ROOT, "%.0f-%.0f min", idle[0], idle[1]),
              perDay, 100 * plain[0], 100 * recycled[0], plain[2]);
        }
      }
    }
  }
}
