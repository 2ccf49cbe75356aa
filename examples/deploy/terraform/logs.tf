# The sink's log group, created here with a retention (so the role needs no CreateLogGroup),
# optionally encrypted with a KMS key: one this file creates (create_log_kms_key) or one you
# bring (log_kms_key_arn; its key policy must let logs.<region>.amazonaws.com use it for this
# log group, as the policy below does).

locals {
  log_group_name = "/aws/lambda/${var.function_name}"
  # Spelled out, not read from the resource: the key policy names the log group before the
  # log group exists (the group is created encrypted with that key).
  log_group_arn   = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"
  log_kms_key_arn = var.create_log_kms_key ? aws_kms_key.logs[0].arn : var.log_kms_key_arn
}

resource "aws_cloudwatch_log_group" "alert_sink" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = local.log_kms_key_arn

  lifecycle {
    precondition {
      condition     = !(var.create_log_kms_key && var.log_kms_key_arn != null)
      error_message = "Set create_log_kms_key = true or log_kms_key_arn, not both."
    }
  }
}

resource "aws_kms_key" "logs" {
  count                   = var.create_log_kms_key ? 1 : 0
  description             = "Encrypts the log group ${local.log_group_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.log_key[0].json
}

resource "aws_kms_alias" "logs" {
  count         = var.create_log_kms_key ? 1 : 0
  name          = "alias/${var.function_name}-logs"
  target_key_id = aws_kms_key.logs[0].key_id
}

data "aws_iam_policy_document" "log_key" {
  count = var.create_log_kms_key ? 1 : 0

  # The default key policy: the account administers the key through IAM.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs may use it, for this log group only.
  statement {
    sid = "CloudWatchLogsUsesItForThisLogGroupOnly"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }
}
