package com.cabalmail.alert.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Real peer programs for end-to-end tests (Alertmanager, moto, node, dynalite): found on the
 * PATH or in the repository's {@code peers/} folder, started on a free loopback port, waited for,
 * stopped. A missing peer fails the test under CI ({@code CI=true}) and skips it elsewhere with a
 * message saying what to install.
 */
public final class Peers {

  private static final Duration POLL = Duration.ofMillis(50);

  /** The repository folder of the npm-installed peers ({@code npm ci} in each of its folders). */
  public static final String NPM_PEERS = "peers";

  private Peers() {}

  /**
   * dynalite, the DynamoDB stand-in that locks each item around a conditional write: the
   * {@code node_modules/.bin/dynalite} that {@code npm ci} in the repository's
   * {@code peers/dynalite} installs ({@code .ci/run} does), or a skip (a failure under CI) saying
   * so. Run it as {@code dynalite --host 127.0.0.1 --port PORT}: in memory, nothing to clean.
   *
   * @return the program's path
   */
  public static Path dynalite() {
    return npmProgram("dynalite", "dynalite");
  }

  /**
   * A program that {@code npm ci} installs in {@code peers/<folder>} of the repository (found
   * from the module's {@code basedir}, upwards), checked with {@code node} on the PATH; or a
   * skip (a failure under CI) saying what to run.
   *
   * @param folder the folder under {@code peers/}, holding a package.json and its lock file
   * @param program the program's name in {@code node_modules/.bin}
   * @return the program's path
   */
  public static Path npmProgram(String folder, String program) {
    Path start = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path packageDir = null;
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(NPM_PEERS).resolve(folder).resolve("package.json"))) {
        packageDir = dir.resolve(NPM_PEERS).resolve(folder);
        break;
      }
    }
    if (packageDir == null) {
      missing("no " + NPM_PEERS + "/" + folder + "/package.json in " + start
          + " or above: run the test from the repository");
    }
    require("node", "install Node.js 18 or later (Debian: apt-get install nodejs npm)");
    Path bin = packageDir.resolve("node_modules/.bin").resolve(program);
    if (!Files.isExecutable(bin)) {
      missing(program + " is not installed: run `npm ci` in " + packageDir + " (.ci/run does)");
    }
    return bin;
  }

  /**
   * The program's path on the PATH, or a skip (a failure under CI) naming what to install.
   *
   * @param program the executable's file name
   * @param install how to get it, for the message
   * @return the program's path
   */
  public static Path require(String program, String install) {
    Optional<Path> found = onPath(program);
    if (found.isEmpty()) {
      missing(program + " is not on the PATH: " + install);
    }
    return found.get();
  }

  /**
   * Skips the running test with {@code message}; under CI ({@code CI=true}) fails it instead,
   * because end-to-end tests may not be skipped there.
   *
   * @param message what is missing and how to install it
   */
  public static void missing(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + " (CI=true: end-to-end tests may not be skipped)");
    }
    assumeTrue(false, message);
  }

  /**
   * The first executable named {@code program} in a directory of the PATH.
   *
   * @param program the executable's file name
   * @return its path, or empty when no PATH directory holds it
   */
  public static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A port free on loopback right now, for a peer to listen on.
   *
   * @return the port
   * @throws IOException when no socket can be opened
   */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts {@code command}, its output and errors going to {@code log}.
   *
   * @param command the program and its arguments
   * @param log the file its output goes to
   * @return the running process
   * @throws IOException when it cannot be started
   */
  public static Process start(List<String> command, Path log) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  /**
   * Stops {@code process}: politely, then forcibly, 5 s for each. Null does nothing.
   *
   * @param process the process, or null
   */
  public static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What a program run to its end printed and returned.
   *
   * @param exitCode its exit code
   * @param output its output and errors, interleaved, as UTF-8
   */
  public record Finished(int exitCode, String output) {}

  /**
   * Runs {@code command} with no input to its end; fails the test when it is still running
   * after {@code limit} (and kills it).
   *
   * @param command the program and its arguments
   * @param limit how long it may run
   * @return its exit code and output, whatever the exit code
   * @throws IOException when it cannot be started or its output read
   * @throws InterruptedException when interrupted while waiting
   */
  public static Finished exec(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("peer", ".out");
    try {
      Process process = start(command, out);
      process.getOutputStream().close();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + limit.toMillis() + " ms");
      }
      return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Runs {@code command} to completion within {@code limit}; fails the test with its output
   * when it does not finish or exits other than 0.
   *
   * @param command the program and its arguments
   * @param limit how long it may run
   * @return its output
   * @throws IOException when it cannot be started or its output read
   * @throws InterruptedException when interrupted while waiting
   */
  public static String run(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    Finished finished = exec(command, limit);
    if (finished.exitCode() != 0) {
      fail(String.join(" ", command) + " exited " + finished.exitCode() + ": " + finished.output());
    }
    return finished.output();
  }

  /**
   * Waits until {@code condition} holds, checking every 50 ms, for at most {@code limit}: for a
   * peer process, which offers nothing to wait on but its port.
   *
   * @param limit how long to wait
   * @param condition what to wait for
   * @return whether it held within the limit
   */
  public static boolean within(Duration limit, BooleanSupplier condition) {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    return true;
  }

  /**
   * Waits as {@link #within} does; fails the test naming {@code what} when the limit passes.
   *
   * @param limit how long to wait
   * @param condition what to wait for
   * @param what the condition in words, for the failure
   */
  public static void await(Duration limit, BooleanSupplier condition, String what) {
    if (!within(limit, condition)) {
      throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
    }
  }
}
