# Alarms on the sink's own metrics: CloudWatch Embedded Metric Format lines the sink prints
# (ALERT_METRICS=emf, on by default in Lambda), turned into metrics by CloudWatch Logs with no
# API call and no SDK. Namespace and dimensions: ../../../sink-lambda/README.md, "Metrics".
#
# These alarms catch what the Watchdog cannot: the sink is up and pinging, yet a transport
# refuses or fails deliveries (a revoked token, an ntfy outage, a used-up Pushover quota).
# Their actions must not depend on the sink: an SNS topic with an e-mail or SMS subscription.

variable "alarm_actions" {
  description = "ARNs notified when a sink alarm fires or clears (an SNS topic with an e-mail or SMS subscription: not the sink itself). Empty: the alarms show in the console only."
  type        = list(string)
  default     = []
}

variable "pushover_quota_alarm_below" {
  description = "Alarm when Pushover's remaining monthly messages (X-Limit-App-Remaining) fall below this."
  type        = number
  default     = 1000
}

locals {
  # Must equal the sink's ALERT_METRICS_NAMESPACE (default CabalAlerting).
  metrics_namespace = "CabalAlerting"
}

# Any delivery that failed (no answer, 5xx, timeout after retries) or was rejected (4xx: a bad
# token, a refused message) within 5 minutes, across transports (dimension set [Outcome]).
resource "aws_cloudwatch_metric_alarm" "deliveries" {
  for_each = toset(["failed", "rejected"])

  alarm_name          = "${var.function_name}-deliveries-${each.key}"
  alarm_description   = "The alert sink reported ${each.key} deliveries: some alert did not reach Pushover or ntfy. The sink's log lines 'delivery ... outcome=${each.key}' say which and why."
  namespace           = local.metrics_namespace
  metric_name         = "Deliveries"
  dimensions          = { Outcome = each.key }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  # No deliveries, no data: that is health, not a breach.
  treat_missing_data = "notBreaching"
  alarm_actions      = var.alarm_actions
  ok_actions         = var.alarm_actions
}

# The Watchdog reached the sink but the ping to Healthchecks failed twice in 15 minutes (the
# sink answered 503 so Alertmanager retried). Healthchecks pages too once its grace ends; this
# says the fault is between the sink and Healthchecks, not before it.
resource "aws_cloudwatch_metric_alarm" "watchdog_ping_failing" {
  alarm_name          = "${var.function_name}-watchdog-ping-failing"
  alarm_description   = "The alert sink could not ping Healthchecks for the Watchdog (answered 503). Check the ping URL parameter and Healthchecks."
  namespace           = local.metrics_namespace
  metric_name         = "Requests"
  dimensions          = { Request = "watchdog", AnswerClass = "5xx" }
  statistic           = "Sum"
  period              = 900
  evaluation_periods  = 1
  threshold           = 2
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

# Pushover's monthly quota running out: at 0 every page is refused (429) until the 1st.
resource "aws_cloudwatch_metric_alarm" "pushover_quota_low" {
  alarm_name          = "${var.function_name}-pushover-quota-low"
  alarm_description   = "Pushover's remaining monthly messages (X-Limit-App-Remaining) are below ${var.pushover_quota_alarm_below}."
  namespace           = local.metrics_namespace
  metric_name         = "QuotaRemaining"
  dimensions          = { Transport = "pushover" }
  statistic           = "Minimum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.pushover_quota_alarm_below
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
