package com.cabalmail.sink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the tools render the example bodies, as test code: the subset of Liquid (liquidjs, which
 * Uptime Kuma uses for its custom body) the Kuma example uses, and Healthchecks' single-pass
 * placeholder substitution. Faithful to the tools' rules (PROTOCOLS.md §4, §7), not a general
 * template engine.
 */
final class ToolTemplates {

  private ToolTemplates() {}

  // ---- Healthchecks (hc/lib/string.py replace, hc/integrations/webhook/transport.py) ----

  /**
   * Healthchecks' substitution: every placeholder in one pass, longest name first (so
   * {@code $NAME_JSON} is never read as {@code $NAME} + {@code _JSON}); values are inserted as
   * they are, never substituted again. {@code $NAME_JSON} is Python's {@code json.dumps(name)}.
   */
  static String healthchecks(String template, String name, String slug, String status) {
    Map<String, String> values = new HashMap<>();
    values.put("$NAME", name);
    values.put("$NAME_JSON", pythonJsonDumps(name));
    values.put("$SLUG", slug);
    values.put("$STATUS", status);
    values.put("$CODE", "0f6b6bd5-9a5a-4e0e-8f3c-2b1d7c9e4a10");
    List<String> keys = new ArrayList<>(values.keySet());
    keys.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder alternation = new StringBuilder();
    for (String key : keys) {
      alternation.append(alternation.length() == 0 ? "" : "|").append(Pattern.quote(key));
    }
    Matcher matcher = Pattern.compile(alternation.toString()).matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(values.get(matcher.group())));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Python's {@code json.dumps} of a string: ASCII only, other characters as \\uXXXX. */
  static String pythonJsonDumps(String text) {
    return quoted(text, (c, i) -> c < 0x20 || c > 0x7e);
  }

  /** Which characters a JSON encoder writes as {@code \\uXXXX}: {@code c} at index {@code i}. */
  @FunctionalInterface
  private interface Escaped {
    boolean test(char c, int i);
  }

  /**
   * {@code text} as a JSON string: the short escapes for quote, backslash and the five control
   * characters that have one, {@code \\uXXXX} for what {@code escaped} says, the rest as it is.
   */
  private static String quoted(String text, Escaped escaped) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
          if (escaped.test(c, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  // ---- Liquid, the subset of the Kuma example (liquidjs semantics) ----

  /**
   * Renders {@code template} with {@code variables} (strings, numbers, maps, null). Supports
   * {@code {{ value | filter: args }}} with the filters {@code json}, {@code prepend} and
   * {@code slice}; {@code {% if %}} / {@code {% else %}} / {@code {% endif %}} on a value's
   * truthiness (only nil and false are falsy) or {@code a == b}; {@code {% assign x = value |
   * filters %}}.
   */
  static String liquid(String template, Map<String, Object> variables) {
    List<String[]> tokens = tokenize(template);
    Map<String, Object> scope = new HashMap<>(variables);
    StringBuilder out = new StringBuilder();
    int end = render(tokens, 0, scope, out, true);
    if (end != tokens.size()) {
      throw new IllegalArgumentException("unbalanced tags at token " + end);
    }
    return out.toString();
  }

  private static final Pattern TOKEN = Pattern.compile("\\{\\{(.*?)\\}\\}|\\{%(.*?)%\\}",
      Pattern.DOTALL);

  /** Tokens: {"text", s}, {"out", expr}, {"tag", body}. */
  private static List<String[]> tokenize(String template) {
    List<String[]> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(template);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        tokens.add(new String[] {"text", template.substring(at, m.start())});
      }
      tokens.add(m.group(1) != null ? new String[] {"out", m.group(1).trim()}
          : new String[] {"tag", m.group(2).trim()});
      at = m.end();
    }
    if (at < template.length()) {
      tokens.add(new String[] {"text", template.substring(at)});
    }
    return tokens;
  }

  /** Renders from {@code i} until an else/endif at this level; returns that token's index. */
  private static int render(List<String[]> tokens, int i, Map<String, Object> scope,
      StringBuilder out, boolean active) {
    while (i < tokens.size()) {
      String[] token = tokens.get(i);
      if (token[0].equals("text")) {
        if (active) {
          out.append(token[1]);
        }
        i++;
      } else if (token[0].equals("out")) {
        if (active) {
          Object value = evaluate(token[1], scope);
          out.append(value == null ? "" : display(value));
        }
        i++;
      } else {
        String tag = token[1];
        if (tag.equals("else") || tag.equals("endif")) {
          return i;
        }
        if (tag.startsWith("assign ")) {
          int eq = tag.indexOf('=');
          if (active) {
            scope.put(tag.substring(7, eq).trim(), evaluate(tag.substring(eq + 1).trim(), scope));
          }
          i++;
        } else if (tag.startsWith("if ")) {
          boolean condition = active && condition(tag.substring(3).trim(), scope);
          i = render(tokens, i + 1, scope, out, active && condition);
          if (tokens.get(i)[1].equals("else")) {
            i = render(tokens, i + 1, scope, out, active && !condition);
          }
          if (!tokens.get(i)[1].equals("endif")) {
            throw new IllegalArgumentException("if without endif");
          }
          i++;
        } else {
          throw new IllegalArgumentException("tag not in the subset: " + tag);
        }
      }
    }
    return i;
  }

  private static boolean condition(String text, Map<String, Object> scope) {
    int eq = text.indexOf("==");
    if (eq >= 0) {
      Object left = value(text.substring(0, eq).trim(), scope);
      Object right = value(text.substring(eq + 2).trim(), scope);
      if (left instanceof Number && right instanceof Number) {
        return ((Number) left).doubleValue() == ((Number) right).doubleValue();
      }
      return left == null ? right == null : left.equals(right);
    }
    Object value = value(text, scope);
    return value != null && !Boolean.FALSE.equals(value);
  }

  private static Object evaluate(String expression, Map<String, Object> scope) {
    String[] parts = splitOutsideQuotes(expression, '|');
    Object value = value(parts[0].trim(), scope);
    for (int p = 1; p < parts.length; p++) {
      String filter = parts[p].trim();
      int colon = filter.indexOf(':');
      String name = colon < 0 ? filter : filter.substring(0, colon).trim();
      List<Object> args = new ArrayList<>();
      if (colon >= 0) {
        for (String arg : splitOutsideQuotes(filter.substring(colon + 1), ',')) {
          args.add(value(arg.trim(), scope));
        }
      }
      value = filter(name, value, args);
    }
    return value;
  }

  private static Object filter(String name, Object value, List<Object> args) {
    switch (name) {
      case "json":
        return value == null ? "null" : jsStringify(value);
      case "prepend":
        return display(args.get(0)) + (value == null ? "" : display(value));
      case "slice": {
        String text = value == null ? "" : display(value);
        int begin = ((Number) args.get(0)).intValue();
        int length = args.size() > 1 ? ((Number) args.get(1)).intValue() : 1;
        if (begin < 0) {
          begin = text.length() + begin; // liquidjs, then JS String.prototype.slice
        }
        int from = begin < 0 ? Math.max(0, text.length() + begin) : Math.min(begin, text.length());
        int to = begin + length < 0 ? Math.max(0, text.length() + begin + length)
            : Math.min(begin + length, text.length());
        return from < to ? text.substring(from, to) : "";
      }
      default:
        throw new IllegalArgumentException("filter not in the subset: " + name);
    }
  }

  private static Object value(String text, Map<String, Object> scope) {
    if ((text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2)
        || (text.startsWith("'") && text.endsWith("'") && text.length() >= 2)) {
      return text.substring(1, text.length() - 1);
    }
    if (text.matches("-?\\d+")) {
      return Integer.parseInt(text);
    }
    if (text.equals("nil") || text.equals("null")) {
      return null;
    }
    Object current = scope;
    for (String key : text.split("\\.")) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<?, ?>) current).get(key);
    }
    return current;
  }

  private static String display(Object value) {
    return String.valueOf(value);
  }

  /** JavaScript's {@code JSON.stringify} of a string or number (well-formed: lone surrogates escaped). */
  private static String jsStringify(Object value) {
    if (value instanceof Number) {
      return value.toString();
    }
    String text = String.valueOf(value);
    return quoted(text, (c, i) -> c < 0x20 || loneSurrogate(text, i));
  }

  /** Whether {@code text}'s char at {@code i} is a surrogate that is not half of a pair. */
  private static boolean loneSurrogate(String text, int i) {
    char c = text.charAt(i);
    return Character.isSurrogate(c)
        && !(Character.isHighSurrogate(c) && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1)))
        && !(Character.isLowSurrogate(c) && i > 0
            && Character.isHighSurrogate(text.charAt(i - 1)));
  }

  private static String[] splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    char quote = 0;
    for (char c : text.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        part.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        part.append(c);
      } else if (c == separator) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts.toArray(new String[0]);
  }
}
