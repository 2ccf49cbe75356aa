# The Cabal alert sink: one Lambda behind a Function URL, secrets in SSM Parameter Store.
# Drop-in for the Python alert_sink: same environment variables, same parameter names.
#
#   ./mvnw -B -pl sink-lambda -am package    # builds sink-lambda/target/sink-lambda.jar
#   terraform init && terraform apply -var control_domain=example.com

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # Every SecureString the sink reads at cold start, in one GetParameters call.
  secret_parameters = merge({
    SHARED_SECRET_PARAM        = var.shared_secret_parameter
    PUSHOVER_USER_KEY_PARAM    = var.pushover_user_key_parameter
    PUSHOVER_APP_TOKEN_PARAM   = var.pushover_app_token_parameter
    NTFY_PUBLISHER_TOKEN_PARAM = var.ntfy_publisher_token_parameter
  }, local.watchdog_parameters) # watchdog.tf
  # Set during a secret rotation only: the sink then accepts both secrets.
  previous_secret_parameter = var.previous_shared_secret_parameter == null ? {} : {
    SHARED_SECRET_PREVIOUS_PARAM = var.previous_shared_secret_parameter
  }
  parameter_arns = [
    for name in concat(values(local.secret_parameters), values(local.previous_secret_parameter)) :
    "arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter${name}"
  ]
}

resource "aws_lambda_function" "alert_sink" {
  function_name    = var.function_name
  description      = "Cabal alert sink: Alertmanager, Grafana, Uptime Kuma and Healthchecks webhooks to Pushover and ntfy"
  role             = aws_iam_role.alert_sink.arn
  filename         = var.jar_path
  source_code_hash = filebase64sha256(var.jar_path)

  # No aws-lambda-java-core: the runtime calls this public method directly.
  handler       = "com.cabalmail.sink.SinkHandler::handleRequest"
  runtime       = var.runtime
  architectures = [var.architecture]
  memory_size   = var.memory_size
  # The router gives up after ALERT_DEADLINE (8 s by default); the answer still fits in 10 s.
  timeout = 10

  environment {
    variables = merge(local.secret_parameters, local.previous_secret_parameter, {
      NTFY_BASE_URL     = "https://ntfy.${var.control_domain}"
      NTFY_TOPIC        = var.ntfy_topic
      JAVA_TOOL_OPTIONS = var.java_tool_options
      # Optional, with their defaults:
      # ALERT_ROUTES            = "critical:pushover=1,ntfy=5;warning:ntfy=3;info:"
      # ALERT_TRANSPORT_TIMEOUT = "7s"
      # ALERT_DEADLINE          = "8s"
      # LOG_LEVEL               = "info"
      # ALERT_WATCHDOG          = "alertname=Watchdog"   # watchdog.tf; "none": off
      # ALERT_METRICS           = "emf"                  # metrics.tf; "none": off
      # ALERT_METRICS_NAMESPACE = "CabalAlerting"
    })
  }

  depends_on = [aws_cloudwatch_log_group.alert_sink]
}

resource "aws_lambda_function_url" "alert_sink" {
  function_name = aws_lambda_function.alert_sink.function_name
  # Callers authenticate with the shared secret (X-Alert-Secret or Authorization: Bearer).
  authorization_type = "NONE"
  invoke_mode        = "BUFFERED"
}

# A Function URL with auth NONE needs a resource policy allowing public invocation through
# the URL. (AWS now also documents lambda:InvokeFunction with the condition
# lambda:InvokedViaFunctionUrl = true; add it where your provider version supports it.)
resource "aws_lambda_permission" "function_url" {
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.alert_sink.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_cloudwatch_log_group" "alert_sink" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_iam_role" "alert_sink" {
  name = "${var.function_name}-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.alert_sink.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# Read exactly the sink's parameters, nothing else. With the AWS managed key aws/ssm no KMS
# statement is needed; with a customer managed key, name it in ssm_kms_key_arn.
resource "aws_iam_role_policy" "read_secrets" {
  name = "read-alert-sink-secrets"
  role = aws_iam_role.alert_sink.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([{
      Effect   = "Allow"
      Action   = ["ssm:GetParameters"]
      Resource = local.parameter_arns
      }], var.ssm_kms_key_arn == null ? [] : [{
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [var.ssm_kms_key_arn]
      Condition = {
        StringEquals = { "kms:ViaService" = "ssm.${data.aws_region.current.name}.amazonaws.com" }
      }
    }])
  })
}
