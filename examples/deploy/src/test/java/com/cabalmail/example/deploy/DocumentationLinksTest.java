package com.cabalmail.example.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in the project's Markdown (README.md, docs/, the module READMEs, every
 * other {@code .md} outside {@code target/} and {@code node_modules/}) resolves: the file or
 * folder exists inside the repository, and a {@code #anchor} names a heading of the target
 * Markdown file by GitHub's slug rules (lower case; everything but letters, digits, marks,
 * {@code -}, {@code _} and spaces dropped; each space a hyphen; a repeated heading gets
 * {@code -1}, {@code -2}...). Links inside fenced code blocks and code spans are not links.
 * Links with a scheme ({@code https:}, {@code mailto:}) are not checked: the build is offline.
 */
class DocumentationLinksTest {

  /** The end of an inline link or image: {@code ](target)} or {@code ](target "title")}. */
  private static final Pattern INLINE_LINK =
      Pattern.compile("\\]\\(\\s*(<[^>\\n]*>|[^)\\s]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");
  /** A link reference definition: {@code [label]: target}. */
  private static final Pattern REFERENCE =
      Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>\\n]*>|\\S+)");
  private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*?))?[ \\t]*$");
  private static final Pattern HTML_ANCHOR =
      Pattern.compile("<a\\s+[^>]*(?:id|name)\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  @Test
  void everyRelativeLinkInTheProjectsMarkdownResolves() {
    Path root = repositoryRoot();
    List<Path> files = markdownFiles(root);
    assertTrue(files.contains(root.resolve("README.md")), "README.md not found under " + root);
    assertTrue(files.stream().anyMatch(f -> f.startsWith(root.resolve("docs"))),
        "no docs/*.md found under " + root);
    List<String> broken = brokenLinks(root, files);
    assertEquals(List.of(), broken, broken.size() + " broken links");
  }

  @Test
  void aMissingFileOrAnchorIsReportedAndGoodLinksAreNot(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("docs"));
    Files.createDirectories(repo.resolve("mod/src"));
    Files.writeString(repo.resolve("docs/guide.md"), String.join("\n",
        "# Guide",
        "## Sink configuration",
        "## Answers, with and without a ledger (`none`)",
        "## Answers, with and without a ledger (`none`)",
        "### Figures (2-core machine; the benchmark's own) ✓",
        "```sh",
        "# not a heading",
        "see [inside a fence](missing.md)",
        "```",
        "Back to [the top](../README.md#cabal-alerting), [code](../mod/src), `[span](nowhere.md)`."));
    Files.writeString(repo.resolve("README.md"), String.join("\n",
        "# Cabal Alerting",
        "[ok](docs/guide.md#sink-configuration) [ok](docs/guide.md#answers-with-and-without-a-ledger-none)",
        "[ok](docs/guide.md#answers-with-and-without-a-ledger-none-1)",
        "[ok](docs/guide.md#figures-2-core-machine-the-benchmarks-own-) [ok](#cabal-alerting)",
        "[ok, across",
        "lines](docs/guide.md \"title\") [ok](https://example.com/nowhere) [ok](mod)",
        "[missing file](docs/gone.md) [missing anchor](docs/guide.md#configuration)",
        "[outside](../elsewhere.md) [anchor on a folder](mod#x)",
        "[missing here](#nothing-here)",
        "[ref]: docs/also-gone.md"));
    List<String> broken = brokenLinks(repo, markdownFiles(repo));
    assertEquals(List.of(
            "README.md:7: docs/gone.md (no such file)",
            "README.md:7: docs/guide.md#configuration (no heading with that anchor)",
            "README.md:8: ../elsewhere.md (outside the repository)",
            "README.md:8: mod#x (an anchor on a file that is not Markdown)",
            "README.md:9: #nothing-here (no heading with that anchor)",
            "README.md:10: docs/also-gone.md (no such file)"),
        broken);
  }

  /** The repository root: {@code -Drepository.root}, else the first parent holding {@code mvnw}. */
  static Path repositoryRoot() {
    String given = System.getProperty("repository.root");
    if (given != null && !given.isBlank()) {
      return Path.of(given).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve(".mvn"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root (mvnw and .mvn/) above "
        + Path.of("").toAbsolutePath());
  }

  static List<Path> markdownFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
          .filter(p -> !skipped(root.relativize(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean skipped(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Every broken link as {@code file:line: target (why)}, in file order. */
  static List<String> brokenLinks(Path root, List<Path> files) {
    Map<Path, Set<String>> anchors = new HashMap<>();
    List<String> broken = new ArrayList<>();
    for (Path file : files) {
      String text = withoutCode(read(file));
      List<int[]> found = new ArrayList<>();
      for (Pattern pattern : List.of(INLINE_LINK, REFERENCE)) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          found.add(new int[] {m.start(1), m.end(1)});
        }
      }
      found.sort((a, b) -> Integer.compare(a[0], b[0]));
      for (int[] span : found) {
        String target = text.substring(span[0], span[1]);
        if (target.startsWith("<") && target.endsWith(">")) {
          target = target.substring(1, target.length() - 1);
        }
        String why = problem(root, file, target, anchors);
        if (why != null) {
          int line = 1 + (int) text.substring(0, span[0]).chars().filter(c -> c == '\n').count();
          broken.add(root.relativize(file) + ":" + line + ": " + target + " (" + why + ")");
        }
      }
    }
    return broken;
  }

  private static String problem(Path root, Path file, String target, Map<Path, Set<String>> anchors) {
    if (SCHEME.matcher(target).find() || target.startsWith("//")) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    Path resolved = path.isEmpty() ? file
        : path.startsWith("/") ? root.resolve(path.substring(1)).normalize()
        : file.getParent().resolve(path).normalize();
    if (!resolved.startsWith(root)) {
      return "outside the repository";
    }
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (anchor == null) {
      return null;
    }
    if (!resolved.toString().endsWith(".md") || !Files.isRegularFile(resolved)) {
      return "an anchor on a file that is not Markdown";
    }
    Set<String> known = anchors.computeIfAbsent(resolved, DocumentationLinksTest::anchorsOf);
    return known.contains(anchor) ? null : "no heading with that anchor";
  }

  /** The anchors GitHub gives a Markdown file's headings, and its explicit HTML anchors. */
  static Set<String> anchorsOf(Path file) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    String fence = "";
    for (String line : read(file).split("\n", -1)) {
      Matcher f = FENCE.matcher(line);
      if (f.find()) {
        if (!inFence) {
          inFence = true;
          fence = f.group(1);
          continue;
        }
        if (f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()
            && line.trim().length() == f.group(1).length()) {
          inFence = false;
          continue;
        }
      }
      if (inFence) {
        continue;
      }
      Matcher h = ATX_HEADING.matcher(line);
      if (h.matches()) {
        String heading = h.group(1) == null ? "" : h.group(1).replaceAll("[ \\t]+#+$", "");
        String slug = slug(heading);
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
      Matcher a = HTML_ANCHOR.matcher(line);
      while (a.find()) {
        anchors.add(a.group(1));
      }
    }
    return anchors;
  }

  /** GitHub's heading slug, from the heading as rendered (links to their text, no markup). */
  static String slug(String heading) {
    String text = heading
        .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
        .replaceAll("<[^>]+>", "")
        .replace("`", "")
        .replace("*", "")
        .toLowerCase(Locale.ROOT);
    StringBuilder slug = new StringBuilder();
    text.codePoints().forEach(c -> {
      int type = Character.getType(c);
      if (c == ' ') {
        slug.append('-');
      } else if (c == '-' || c == '_' || Character.isLetterOrDigit(c)
          || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
          || type == Character.ENCLOSING_MARK) {
        slug.appendCodePoint(c);
      }
    });
    return slug.toString();
  }

  /**
   * The text with fenced code blocks and code spans blanked (newlines kept, so line numbers
   * stay): links shown as code are examples, not links.
   */
  static String withoutCode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean inFence = false;
    String fence = "";
    for (String line : text.split("\n", -1)) {
      Matcher f = FENCE.matcher(line);
      boolean fenceLine = false;
      if (f.find()) {
        if (!inFence) {
          inFence = true;
          fence = f.group(1);
          fenceLine = true;
        } else if (f.group(1).charAt(0) == fence.charAt(0)
            && f.group(1).length() >= fence.length() && line.trim().length() == f.group(1).length()) {
          inFence = false;
          fenceLine = true;
        }
      }
      out.append(inFence || fenceLine ? "" : line.replaceAll("`[^`]*`", "``")).append('\n');
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For a person: every broken link of the repository, one a line. */
  public static void main(String[] args) {
    Path root = repositoryRoot();
    Set<String> broken = new TreeSet<>(brokenLinks(root, markdownFiles(root)));
    broken.forEach(System.out::println);
    System.out.println(broken.size() + " broken links");
  }
}
