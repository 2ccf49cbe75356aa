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
  description = "Customer managed KMS key encrypting the parameters, or null for aws/ssm."
  type        = string
  default     = null
}

variable "log_retention_days" {
  type    = number
  default = 30
}
