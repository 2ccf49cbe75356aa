# The delivery ledger (ALERT_LEDGER=dynamodb, ../../README.md "Delivery ledger"): one item per
# (alert fingerprint, status, transport), so that an alert re-sent by Alertmanager or retried by
# a caller is not delivered twice, across every container of the function. Partition key pk
# (String); DynamoDB's TTL deletes items after their attribute expires (epoch seconds), lazily:
# the sink compares the expiry itself. On demand: a few small writes per alert, nothing idle.

resource "aws_dynamodb_table" "alert_ledger" {
  name         = "${var.function_name}-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  ttl {
    attribute_name = "expires"
    enabled        = true
  }
}
