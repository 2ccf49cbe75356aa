package com.cabalmail.example.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sink's Terraform (examples/deploy/terraform), parsed by an HCL parser and checked: the
 * shipped files pass every check, and each way of breaking them that the deploy notes warn
 * about is caught by the check named for it (so no check passes vacuously). The DynamoDB
 * actions the role holds are checked against the ledger's code by {@link LedgerPolicyTest}.
 */
class TerraformPolicyTest {

  /** Every check the checker runs; a check that disappears from its output fails the test. */
  private static final Set<String> CHECKS = Set.of(
      "provider-supports-invoked-via-function-url",
      "function-url-auth-none",
      "url-permission-invoke-function-url",
      "url-permission-invoke-function",
      "no-public-invoke-outside-url",
      "role-has-no-managed-policies",
      "role-policies-are-policy-documents",
      "no-create-log-group",
      "logs-scoped-to-own-log-group",
      "log-group-with-retention",
      "log-group-kms-optional",
      "ssm-read-limited-to-named-parameters",
      "kms-decrypt-only-for-customer-key",
      "no-wildcard-in-role-policies",
      "reserved-concurrency-wired",
      "function-waits-for-role-policies");

  private static final Path TERRAFORM = TerraformChecker.moduleDir().resolve("terraform");

  @TempDir
  static Path work;

  private static TerraformChecker checker;
  private static TerraformChecker.Report report;
  private static final Map<String, Path> MUTATED = new HashMap<>();

  /** One change to one file of a copy of the Terraform, and the check that must catch it. */
  record Mutation(String name, String file, String from, String to, String caughtBy) {

    static Mutation replace(String name, String file, String from, String to, String caughtBy) {
      return new Mutation(name, file, from, to, caughtBy);
    }

    static Mutation append(String name, String file, String text, String caughtBy) {
      return new Mutation(name, file, null, text, caughtBy);
    }

    @Override
    public String toString() {
      return name;
    }

    void applyTo(Path dir) throws IOException {
      Path path = dir.resolve(file);
      String text = Files.readString(path, StandardCharsets.UTF_8);
      if (from == null) {
        text = text + "\n" + to + "\n";
      } else {
        int at = text.indexOf(from);
        assertTrue(at >= 0 && text.indexOf(from, at + 1) < 0,
            name + ": '" + from + "' must occur exactly once in " + file
                + " (the Terraform changed: update this mutation)");
        text = text.replace(from, to);
      }
      Files.writeString(path, text, StandardCharsets.UTF_8);
    }
  }

  static Stream<Mutation> mutations() {
    return Stream.of(
        Mutation.replace("provider older than 6.28", "versions.tf",
            "version = \">= 6.28, < 7.0\"", "version = \">= 5.0\"",
            "provider-supports-invoked-via-function-url"),
        Mutation.replace("Function URL with IAM auth", "lambda.tf",
            "authorization_type = \"NONE\"", "authorization_type = \"AWS_IAM\"",
            "function-url-auth-none"),
        Mutation.replace("InvokeFunctionUrl without auth type NONE", "lambda.tf",
            "function_url_auth_type = \"NONE\"", "",
            "url-permission-invoke-function-url"),
        Mutation.replace("InvokeFunction without the Function URL condition", "lambda.tf",
            "invoked_via_function_url = true", "",
            "url-permission-invoke-function"),
        Mutation.append("anyone may invoke the function directly", "lambda.tf", """
            resource "aws_lambda_permission" "anyone" {
              action        = "lambda:InvokeFunction"
              function_name = "some_other_function"
              principal     = "*"
            }""",
            "no-public-invoke-outside-url"),
        Mutation.append("managed basic execution role attached", "iam.tf", """
            resource "aws_iam_role_policy_attachment" "logs" {
              role       = aws_iam_role.alert_sink.name
              policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
            }""",
            "role-has-no-managed-policies"),
        Mutation.replace("an inline jsonencode policy nobody checks", "iam.tf",
            "policy = data.aws_iam_policy_document.write_logs.json",
            "policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })",
            "role-policies-are-policy-documents"),
        Mutation.replace("role may create log groups", "iam.tf",
            "[\"logs:CreateLogStream\", \"logs:PutLogEvents\"]",
            "[\"logs:CreateLogGroup\", \"logs:CreateLogStream\", \"logs:PutLogEvents\"]",
            "no-create-log-group"),
        Mutation.replace("logs on another log group", "iam.tf",
            "[\"${aws_cloudwatch_log_group.alert_sink.arn}:*\"]",
            "[\"arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/other:*\"]",
            "logs-scoped-to-own-log-group"),
        Mutation.replace("log group kept forever", "logs.tf",
            "retention_in_days = var.log_retention_days", "",
            "log-group-with-retention"),
        Mutation.replace("log KMS key created by default", "variables.tf",
            "default     = false", "default     = true",
            "log-group-kms-optional"),
        Mutation.replace("log key usable by CloudWatch Logs for every log group", "logs.tf",
            "variable = \"kms:EncryptionContext:aws:logs:arn\"",
            "variable = \"aws:SourceAccount\"",
            "log-group-kms-optional"),
        Mutation.replace("every SSM parameter of the account", "iam.tf",
            "resources = local.parameter_arns",
            "resources = [\"arn:aws:ssm:us-east-1:111122223333:parameter/*\"]",
            "ssm-read-limited-to-named-parameters"),
        Mutation.replace("kms:Decrypt without a customer managed key", "iam.tf",
            "for_each = var.ssm_kms_key_arn == null ? [] : [var.ssm_kms_key_arn]",
            "for_each = [\"arn:aws:kms:us-east-1:111122223333:key/any\"]",
            "kms-decrypt-only-for-customer-key"),
        Mutation.replace("kms:Decrypt usable outside SSM", "iam.tf",
            "variable = \"kms:ViaService\"", "variable = \"kms:CallerAccount\"",
            "kms-decrypt-only-for-customer-key"),
        Mutation.replace("logs on every resource", "iam.tf",
            "[\"${aws_cloudwatch_log_group.alert_sink.arn}:*\"]", "[\"*\"]",
            "no-wildcard-in-role-policies"),
        Mutation.replace("reserved concurrency not wired to its variable", "lambda.tf",
            "reserved_concurrent_executions = var.reserved_concurrency",
            "reserved_concurrent_executions = -1",
            "reserved-concurrency-wired"),
        Mutation.replace("reserved concurrency unbounded by default", "variables.tf",
            "default     = 10", "default     = -1",
            "reserved-concurrency-wired"),
        Mutation.replace("function created before its SSM policy", "lambda.tf",
            "depends_on = [aws_iam_role_policy.write_logs, aws_iam_role_policy.read_secrets,",
            "depends_on = [aws_iam_role_policy.write_logs,",
            "function-waits-for-role-policies"));
  }

  /** One run of the checker over one broken copy per mutation. */
  @BeforeAll
  static void checkBrokenCopies() throws IOException, InterruptedException {
    checker = TerraformChecker.require();
    List<Path> dirs = new ArrayList<>();
    for (Mutation mutation : mutations().toList()) {
      Path copy = work.resolve("m" + MUTATED.size());
      copyTerraform(copy);
      mutation.applyTo(copy);
      MUTATED.put(mutation.name(), copy);
      dirs.add(copy);
    }
    report = checker.check(dirs);
  }

  @Test
  void shippedTerraformPassesEveryCheck() throws IOException, InterruptedException {
    TerraformChecker.Report shipped = checker.check(List.of(TERRAFORM));
    Map<String, String> verdicts = shipped.of(TERRAFORM);
    assertEquals(new TreeSet<>(CHECKS), new TreeSet<>(verdicts.keySet()),
        "the checks the checker ran:\n" + shipped.output());
    Map<String, String> failed = verdicts.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(Map.of(), failed, shipped.output());
    assertEquals(0, shipped.exitCode(), shipped.output());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutations")
  void brokenTerraformIsCaughtByItsCheck(Mutation mutation) {
    Map<String, String> verdicts = report.of(MUTATED.get(mutation.name()));
    assertTrue(verdicts.containsKey(mutation.caughtBy()),
        "no check named " + mutation.caughtBy() + ":\n" + report.output());
    String why = verdicts.get(mutation.caughtBy());
    assertNotNull(why, mutation.name() + " passed " + mutation.caughtBy() + ":\n" + report.output());
    assertEquals(1, report.exitCode(), "a failed check must make the checker exit 1");
  }

  @Test
  void everyCheckIsShownToCatchSomething() {
    Set<String> shown = mutations().map(Mutation::caughtBy).collect(Collectors.toSet());
    Set<String> neverShown = new TreeSet<>(CHECKS);
    neverShown.removeAll(shown);
    assertEquals(Set.of(), neverShown, "checks no mutation proves able to fail");
  }

  private static void copyTerraform(Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(TERRAFORM)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
