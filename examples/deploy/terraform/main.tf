# The Cabal alert sink: one Lambda behind a Function URL, secrets in SSM Parameter Store.
# Drop-in for the Python alert_sink: same environment variables, same parameter names.
#
#   ./mvnw -B -pl sink-lambda -am package    # builds sink-lambda/target/sink-lambda.jar
#   terraform init && terraform apply -var control_domain=example.com
#
# One file per concern, so that each addition lands beside its kind:
#   versions.tf   Terraform and AWS provider versions
#   main.tf       where the deployment is (account, region) and the sink's SSM parameters
#   lambda.tf     the function, its reserved concurrency, its Function URL and who may invoke it
#   iam.tf        the execution role: write its own log group, read its own parameters
#   logs.tf       the log group: retention, optional KMS key
#   watchdog.tf   the SSM parameter holding the Watchdog's Healthchecks ping URL
#   metrics.tf    CloudWatch alarms on the sink's own (EMF) metrics
#   acknowledgements.tf  the ack key's parameter, the public URL, the Alertmanager to silence in
#   variables.tf, outputs.tf
#
# ../test/check-terraform.mjs parses these files and checks the least-privilege rules above;
# `./mvnw -B verify` runs it (module examples/deploy).

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  # Every SecureString the sink reads at cold start, in one GetParameters call.
  secret_parameters = merge({
    SHARED_SECRET_PARAM        = var.shared_secret_parameter
    PUSHOVER_USER_KEY_PARAM    = var.pushover_user_key_parameter
    PUSHOVER_APP_TOKEN_PARAM   = var.pushover_app_token_parameter
    NTFY_PUBLISHER_TOKEN_PARAM = var.ntfy_publisher_token_parameter
  }, local.watchdog_parameters, local.ack_parameters) # watchdog.tf, acknowledgements.tf
  # Set during a secret rotation only: the sink then accepts both secrets.
  previous_secret_parameter = var.previous_shared_secret_parameter == null ? {} : {
    SHARED_SECRET_PREVIOUS_PARAM = var.previous_shared_secret_parameter
  }
  # The role may read these parameters and no other (iam.tf).
  parameter_arns = [
    for name in concat(values(local.secret_parameters), values(local.previous_secret_parameter)) :
    "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${name}"
  ]
}
