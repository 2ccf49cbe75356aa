output "function_url" {
  description = "Where Alertmanager, Grafana, Uptime Kuma and Healthchecks post (append /alertmanager, /grafana, /kuma, /healthchecks)."
  value       = aws_lambda_function_url.alert_sink.function_url
}

output "function_name" {
  value = aws_lambda_function.alert_sink.function_name
}

output "log_group_name" {
  description = "The sink's log group: one line per delivery, never a secret or a body."
  value       = aws_cloudwatch_log_group.alert_sink.name
}
