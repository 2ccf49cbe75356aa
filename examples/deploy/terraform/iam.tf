# The execution role: it may write to its own log group and read its own SSM parameters;
# nothing else (no CreateLogGroup, no account-wide logs, no other parameter).

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaRunsTheSink"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "alert_sink" {
  name               = "${var.function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
}

# Terraform creates the log group (logs.tf), so the role never needs logs:CreateLogGroup; it
# writes streams of that one group only.
data "aws_iam_policy_document" "write_logs" {
  statement {
    sid       = "WriteItsOwnLogGroupOnly"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.alert_sink.arn}:*"]
  }
}

resource "aws_iam_role_policy" "write_logs" {
  name   = "write-alert-sink-logs"
  role   = aws_iam_role.alert_sink.id
  policy = data.aws_iam_policy_document.write_logs.json
}

# Read exactly the sink's parameters. With the AWS managed key aws/ssm no KMS statement is
# needed; with a customer managed key (ssm_kms_key_arn) the role may decrypt with it only
# through SSM and only for these parameters.
data "aws_iam_policy_document" "read_secrets" {
  statement {
    sid       = "ReadTheSinksParametersOnly"
    actions   = ["ssm:GetParameters"]
    resources = local.parameter_arns
  }

  dynamic "statement" {
    for_each = var.ssm_kms_key_arn == null ? [] : [var.ssm_kms_key_arn]
    content {
      sid       = "DecryptThemThroughSsmOnly"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:PARAMETER_ARN"
        values   = local.parameter_arns
      }
    }
  }
}

resource "aws_iam_role_policy" "read_secrets" {
  name   = "read-alert-sink-secrets"
  role   = aws_iam_role.alert_sink.id
  policy = data.aws_iam_policy_document.read_secrets.json
}

# The delivery ledger (ledger.tf): item reads and writes on that one table, exactly the
# operations the ledger calls (LedgerPolicyTest derives them from its code). No Scan, no Query,
# no table management, no other table.
data "aws_iam_policy_document" "use_ledger" {
  statement {
    sid = "UseTheLedgerTableOnly"
    actions = [
      "dynamodb:PutItem",
      "dynamodb:GetItem",
      "dynamodb:DeleteItem",
    ]
    resources = [aws_dynamodb_table.alert_ledger.arn]
  }
}

resource "aws_iam_role_policy" "use_ledger" {
  name   = "use-alert-sink-ledger"
  role   = aws_iam_role.alert_sink.id
  policy = data.aws_iam_policy_document.use_ledger.json
}
