package com.cabalmail.example.deploy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code examples/deploy/test/check-terraform.mjs} with {@code node} and reads its report.
 * A missing {@code node} or a missing {@code npm ci} fails the test under CI ({@code CI=true})
 * and skips it elsewhere, with a message saying what to install.
 */
final class TerraformChecker {

  private static final Duration LIMIT = Duration.ofSeconds(120);

  private final Path node;
  private final Path script;

  private TerraformChecker(Path node, Path script) {
    this.node = node;
    this.script = script;
  }

  /** The module's directory (examples/deploy): Surefire's basedir. */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  }

  /** The checker, ready to run, or a skip (a failure under CI) naming what is missing. */
  static TerraformChecker require() {
    Path testDir = moduleDir().resolve("test");
    Path node = onPath("node").orElse(null);
    if (node == null) {
      missing("node is not on the PATH: install Node.js 18 or later (Debian: apt-get install nodejs npm)");
    }
    if (!Files.isDirectory(testDir.resolve("node_modules/@cdktf/hcl2json"))) {
      missing("the HCL parser is not installed: run `npm ci` in " + testDir + " (.ci/run does)");
    }
    return new TerraformChecker(node, testDir.resolve("check-terraform.mjs"));
  }

  /** Checks every directory in one run of the checker. */
  Report check(List<Path> dirs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(node.toString(), script.toString()));
    dirs.forEach(dir -> command.add(dir.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail("the Terraform checker did not finish within " + LIMIT.toSeconds() + " s");
    }
    String output = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() > 1) {
      fail("the Terraform checker could not run (exit " + process.exitValue() + "):\n" + output);
    }
    return Report.parse(output, process.exitValue());
  }

  private static void missing(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + " (CI=true: the Terraform checks may not be skipped)");
    }
    assumeTrue(false, message);
  }

  private static Optional<Path> onPath(String program) {
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
   * What the checker said: per directory (in the order given), each check's verdict, null
   * when it passed, else why it failed.
   */
  record Report(Map<String, Map<String, String>> byDir, int exitCode, String output) {

    static Report parse(String output, int exitCode) {
      Map<String, Map<String, String>> byDir = new LinkedHashMap<>();
      Map<String, String> current = null;
      for (String line : output.split("\n")) {
        if (line.startsWith("# ")) {
          current = new LinkedHashMap<>();
          byDir.put(line.substring(2), current);
        } else if (line.startsWith("ok   ") && current != null) {
          current.put(line.substring(5).trim(), null);
        } else if (line.startsWith("FAIL ") && current != null) {
          String rest = line.substring(5);
          int colon = rest.indexOf(": ");
          current.put(colon < 0 ? rest : rest.substring(0, colon),
              colon < 0 ? "" : rest.substring(colon + 2));
        }
      }
      return new Report(byDir, exitCode, output);
    }

    /** The verdicts for one directory; fails when the checker did not report on it. */
    Map<String, String> of(Path dir) {
      Map<String, String> verdicts = byDir.get(dir.toString());
      if (verdicts == null) {
        fail("the checker reported nothing on " + dir + ":\n" + output);
      }
      return verdicts;
    }
  }
}
