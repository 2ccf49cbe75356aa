variable "control_domain" {
  description = "Cabal control domain; ntfy is served at https://ntfy.<control_domain>."
  type        = string
}

variable "jar_path" {
  description = "The deployment artifact: the shaded sink jar."
  type        = string
  default     = "../../../sink-lambda/target/sink-lambda.jar"
}

variable "function_name" {
  type    = string
  default = "alert_sink"
}

variable "runtime" {
  description = "Managed Java runtime: java17, java21 or java25 all work; see ../README.md for the measured choice."
  type        = string
  default     = "java21"
}

variable "architecture" {
  description = "x86_64 or arm64: the jar is pure Java."
  type        = string
  default     = "x86_64"
}

variable "memory_size" {
  description = "MB; Lambda's CPU share grows with memory, and cold start is CPU-bound. See ../README.md."
  type        = number
  default     = 1769
}

variable "reserved_concurrency" {
  description = "Invocations that may run at once (-1: no reservation, the account's pool). Bounds what a flood of unauthenticated requests can cost: at most 10 requests per second per unit. See ../README.md for the default of 10 and the cost."
  type        = number
  default     = 10
  validation {
    # 0 would stop every invocation: the sink would throttle all alerts.
    condition     = var.reserved_concurrency == -1 || var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be -1 (no reservation) or at least 1."
  }
}

variable "java_tool_options" {
  description = "JVM flags; see ../README.md for what each measured flag buys."
  type        = string
  default     = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
}

variable "ntfy_topic" {
  type    = string
  default = "alerts"
}

variable "shared_secret_parameter" {
  description = "SecureString: the secret callers send."
  type        = string
  default     = "/cabal/alert_sink_secret"
}

variable "previous_shared_secret_parameter" {
  description = "SecureString: the previous secret, still accepted while callers are moved to the new one. null outside a rotation."
  type        = string
  default     = null
}

variable "pushover_user_key_parameter" {
  type    = string
  default = "/cabal/pushover_user_key"
}

variable "pushover_app_token_parameter" {
  type    = string
  default = "/cabal/pushover_app_token"
}

variable "ntfy_publisher_token_parameter" {
  type    = string
  default = "/cabal/ntfy_publisher_token"
}

variable "ssm_kms_key_arn" {
  description = "Customer managed KMS key encrypting the parameters, or null for aws/ssm. When set, the role may use it with kms:Decrypt through SSM, for the sink's parameters only."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the sink's log lines."
  type        = number
  default     = 30
}

variable "create_log_kms_key" {
  description = "Create a customer managed KMS key (rotated yearly) that encrypts the log group; its key policy lets CloudWatch Logs use it for this log group only. Off: the log group uses CloudWatch Logs' own encryption."
  type        = bool
  default     = false
}

variable "log_kms_key_arn" {
  description = "An existing KMS key to encrypt the log group with instead (its key policy must allow logs.<region>.amazonaws.com for this log group); null for none. Not together with create_log_kms_key."
  type        = string
  default     = null
  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:...) or null."
  }
}
