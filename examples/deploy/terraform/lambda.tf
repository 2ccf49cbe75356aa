locals {
  # The custom-runtime package runs its own bootstrap on provided.al2023 (the handler setting is
  # not used); the managed runtime calls SinkHandler's public method (no aws-lambda-java-core).
  custom_runtime = var.deployment == "package"
  artifact       = local.custom_runtime ? var.package_path : var.jar_path
  # The package's bootstrap sets its own JVM flags; JAVA_TOOL_OPTIONS would override them.
  jvm_options = local.custom_runtime ? {} : { JAVA_TOOL_OPTIONS = var.java_tool_options }
  # SnapStart applies to published versions only: the Function URL then serves this alias.
  url_qualifier = var.snap_start ? aws_lambda_alias.live[0].name : null
}

resource "aws_lambda_function" "alert_sink" {
  function_name    = var.function_name
  description      = "Cabal alert sink: Alertmanager, Grafana, Uptime Kuma and Healthchecks webhooks to Pushover and ntfy"
  role             = aws_iam_role.alert_sink.arn
  filename         = local.artifact
  source_code_hash = filebase64sha256(local.artifact)

  handler       = local.custom_runtime ? "bootstrap" : "com.cabalmail.sink.SinkHandler::handleRequest"
  runtime       = local.custom_runtime ? "provided.al2023" : var.runtime
  architectures = [var.architecture]
  memory_size   = var.memory_size
  publish       = var.snap_start

  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  lifecycle {
    precondition {
      condition     = !(var.snap_start && local.custom_runtime)
      error_message = "SnapStart needs a managed runtime: set deployment = \"managed\" with snap_start."
    }
  }

  # The router gives up after ALERT_DEADLINE (8 s by default); the answer still fits in 10 s.
  timeout = 10

  # The most invocations that run at once, whatever arrives: it bounds what a flood of
  # requests without the secret can cost (../README.md, "What a flood costs") and keeps the
  # sink from taking the account's whole concurrency. -1: no reservation.
  reserved_concurrent_executions = var.reserved_concurrency

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.alert_sink.name
  }

  environment {
    variables = merge(local.secret_parameters, local.previous_secret_parameter, local.jvm_options,
      local.ack_settings, { # acknowledgements.tf
      NTFY_BASE_URL = "https://ntfy.${var.control_domain}"
      NTFY_TOPIC    = var.ntfy_topic
      # The delivery ledger (ledger.tf): every page once, across containers.
      ALERT_LEDGER       = "dynamodb"
      ALERT_LEDGER_TABLE = aws_dynamodb_table.alert_ledger.name
      # Optional, with their defaults:
      # ALERT_REPEAT_WINDOW     = "4h"
      # ALERT_PAGE_STORM_LIMIT  = "3"
      # ALERT_ROUTES            = "critical:pushover=1,ntfy=5;warning:ntfy=3;info:"
      # ALERT_TRANSPORT_TIMEOUT = "7s"
      # ALERT_DEADLINE          = "8s"
      # LOG_LEVEL               = "info"
      # ALERT_WATCHDOG          = "alertname=Watchdog"   # watchdog.tf; "none": off
      # ALERT_METRICS           = "emf"                  # metrics.tf; "none": off
      # ALERT_METRICS_NAMESPACE = "CabalAlerting"
    })
  }

  # The first cold start reads SSM, reads the ledger table and writes a log line: the role's
  # policies exist before it.
  depends_on = [aws_iam_role_policy.write_logs, aws_iam_role_policy.read_secrets,
  aws_iam_role_policy.use_ledger]
}

resource "aws_lambda_alias" "live" {
  count            = var.snap_start ? 1 : 0
  name             = "live"
  function_name    = aws_lambda_function.alert_sink.function_name
  function_version = aws_lambda_function.alert_sink.version
}

resource "aws_lambda_function_url" "alert_sink" {
  function_name = aws_lambda_function.alert_sink.function_name
  qualifier     = local.url_qualifier
  # Callers authenticate with the shared secret (X-Alert-Secret or Authorization: Bearer).
  authorization_type = "NONE"
  invoke_mode        = "BUFFERED"
}

# A Function URL with auth NONE answers 403 unless the function's resource policy allows
# BOTH statements below: anyone may call the URL, and the URL (only the URL) may invoke the
# function. Neither lets anyone call lambda:Invoke on the function directly.
resource "aws_lambda_permission" "function_url" {
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.alert_sink.function_name
  qualifier              = local.url_qualifier
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "function_url_invoke" {
  statement_id  = "AllowInvokeThroughFunctionUrlOnly"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.alert_sink.function_name
  qualifier     = local.url_qualifier
  principal     = "*"
  # The condition lambda:InvokedViaFunctionUrl = true (AWS provider >= 6.28, versions.tf).
  invoked_via_function_url = true
}
