package com.cabalmail.example.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, exactly: the DynamoDB actions the Terraform grants are the operations the
 * delivery ledger calls, derived from the code, not from a list kept by hand. The operations
 * come from cabal-aws's {@code DynamoDb} (each public method names the operation it sends); the
 * calls from alert-ledger-dynamodb's sources. A call added to the ledger without its grant, or
 * a grant no code needs, fails here. Needs no Node.js (unlike {@link TerraformPolicyTest}).
 */
class LedgerPolicyTest {

  private static final Path ROOT = TerraformChecker.moduleDir().resolve("../..").normalize();
  private static final Path CLIENT =
      ROOT.resolve("cabal-aws/src/main/java/com/cabalmail/aws/DynamoDb.java");
  private static final Path LEDGER = ROOT.resolve("alert-ledger-dynamodb/src/main/java");
  private static final Path TERRAFORM = TerraformChecker.moduleDir().resolve("terraform");

  /** An operation the client sends: {@code write("PutItem", ...)}, {@code call("GetItem", ...)}. */
  private static final Pattern SENT = Pattern.compile("\\b(?:write|call)\\(\\s*\"([A-Z][A-Za-z]+)\"");
  private static final Pattern GRANTED = Pattern.compile("\"dynamodb:([^\"]*)\"");

  /** The operation each public method of the client sends, e.g. putItem sends PutItem. */
  static Set<String> clientOperations(String clientSource) {
    Set<String> operations = new TreeSet<>();
    Matcher sent = SENT.matcher(clientSource);
    while (sent.find()) {
      String operation = sent.group(1);
      assertTrue(Pattern.compile("public [^;{]*\\b" + method(operation) + "\\(")
              .matcher(clientSource).find(),
          "DynamoDb sends " + operation + " but has no public method " + method(operation)
              + ": teach this test how the ledger reaches it");
      operations.add(operation);
    }
    return operations;
  }

  /** The operations {@code ledgerSource} calls: through the client's methods, or directly. */
  static Set<String> calledOperations(String ledgerSource, Set<String> clientOperations) {
    Set<String> called = new TreeSet<>();
    for (String operation : clientOperations) {
      if (Pattern.compile("\\." + method(operation) + "\\s*\\(").matcher(ledgerSource).find()) {
        called.add(operation);
      }
    }
    Matcher direct = SENT.matcher(ledgerSource);
    while (direct.find()) {
      called.add(direct.group(1));
    }
    return called;
  }

  /** Every {@code dynamodb:} action granted anywhere in {@code terraform}. */
  static Set<String> grantedActions(String terraform) {
    Set<String> granted = new TreeSet<>();
    Matcher action = GRANTED.matcher(terraform);
    while (action.find()) {
      granted.add(action.group(1));
    }
    return granted;
  }

  private static String method(String operation) {
    return operation.substring(0, 1).toLowerCase(Locale.ROOT) + operation.substring(1);
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readAll(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> sources = files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
      assertFalse(sources.isEmpty(), "no " + suffix + " file under " + dir);
      StringBuilder all = new StringBuilder();
      sources.forEach(f -> all.append(read(f)).append('\n'));
      return all.toString();
    }
  }

  @Test
  void theRoleGrantsExactlyTheDynamoDbOperationsTheLedgerCalls() throws IOException {
    Set<String> operations = clientOperations(read(CLIENT));
    Set<String> called = calledOperations(readAll(LEDGER, ".java"), operations);
    Set<String> granted = grantedActions(readAll(TERRAFORM, ".tf"));

    assertTrue(operations.containsAll(Set.of("PutItem", "GetItem", "DeleteItem")),
        "operations found in DynamoDb.java: " + operations);
    assertFalse(called.isEmpty(), "no DynamoDB call found in " + LEDGER);
    assertEquals(called, granted, "expected: the operations alert-ledger-dynamodb calls; was:"
        + " the dynamodb: actions granted in " + TERRAFORM);
  }

  @Test
  void theDerivationSeesACallAddedToTheLedgerAndAGrantNoCodeNeeds() {
    Set<String> operations = Set.of("PutItem", "GetItem", "UpdateItem", "DeleteItem");
    String ledger = "outcome = dynamo.putItem(table, item, free, deadline);\n"
        + "dynamo.getItem(table, key, true, deadline);";

    assertEquals(Set.of("GetItem", "PutItem"), calledOperations(ledger, operations));
    assertEquals(Set.of("GetItem", "PutItem", "UpdateItem"), calledOperations(
        ledger + "\ndynamo.updateItem(table, key, \"SET a = :b\", c, deadline);", operations));
    assertEquals(Set.of("GetItem", "PutItem", "Query"),
        calledOperations(ledger + "\nclient.call(\"Query\", body, deadline, \"q\");", operations));
    assertEquals(Set.of("GetItem", "*"),
        grantedActions("actions = [\"dynamodb:GetItem\", \"dynamodb:*\"]"));
    assertEquals(Set.of("PutItem", "UpdateItem"), clientOperations(
        "public WriteOutcome putItem(String t) { return write(\"PutItem\", t); }\n"
            + "public WriteOutcome updateItem(String t) { return write(\"UpdateItem\", t); }"));
  }
}
