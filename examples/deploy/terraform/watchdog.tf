# The dead man's switch (../README.md, "Liveness"): Prometheus' always-firing Watchdog reaches
# the sink every 6 minutes through Alertmanager (../tools/alertmanager.yml); the sink pings the
# Healthchecks check whose ping URL this parameter holds, and Healthchecks pages (through its
# own Pushover integration, not through this sink) when the pings stop.
#
# The parameter is created holding "paused" (the shared convention for "do not ping": the
# sink then drops Watchdogs with one log line per cold start). Put the real URL in once, out
# of Terraform's state; Terraform never resets it:
#
#   aws ssm put-parameter --overwrite --type SecureString \
#     --name /cabal/healthcheck_ping_alerting-watchdog \
#     --value https://hc-ping.com/<uuid>
#
# The sink reads it at cold start with its other secrets (one GetParameters call), so a new
# value takes effect at the next cold start.

variable "watchdog_ping_url_parameter" {
  description = "SecureString holding the Healthchecks ping URL of the alerting-path Watchdog check; created with the value 'paused'."
  type        = string
  default     = "/cabal/healthcheck_ping_alerting-watchdog"
}

resource "aws_ssm_parameter" "watchdog_ping_url" {
  name        = var.watchdog_ping_url_parameter
  description = "Healthchecks ping URL of the alerting-path Watchdog (alert sink); 'paused' = do not ping"
  type        = "SecureString"
  key_id      = var.ssm_kms_key_arn
  value       = "paused"

  lifecycle {
    # The real URL is set out of band (above) and must not be reset to "paused".
    ignore_changes = [value]
  }
}

locals {
  # Merged into the sink's secret parameters (main.tf): the variable, and read permission.
  watchdog_parameters = {
    ALERT_WATCHDOG_PING_URL_PARAM = aws_ssm_parameter.watchdog_ping_url.name
  }
}
