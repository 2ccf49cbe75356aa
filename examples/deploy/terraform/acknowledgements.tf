# The incident on the phone (../../../README.md, "The incident on the phone"): an emergency page
# on Pushover carries a callback, a critical ntfy message an Acknowledge button, and, with
# alertmanager_url, an Alertmanager alert's message a Silence 4h button. They point at the
# Function URL itself (the sink reads its own domain from each event) unless public_url names
# another address (a custom domain in front of it).
#
# The buttons are capabilities made with a key of their own, never the shared secret: every
# reader of the ntfy topic sees their URLs. Create the key once, out of Terraform's state:
#
#   aws ssm put-parameter --type SecureString --name /cabal/alert_ack_key \
#     --value "$(openssl rand -hex 32)"
#
# Rotating it (a new value, then any configuration change of the function) voids the buttons
# of notifications already sent; Pushover's callback needs no key.

variable "ack_key_parameter" {
  description = "SecureString: the key the Acknowledge and Silence 4h buttons' capabilities are made with (ALERT_ACK_KEY). null: no buttons (Pushover's callback still works)."
  type        = string
  default     = "/cabal/alert_ack_key"
}

variable "public_url" {
  description = "Where Pushover's callback and the ntfy buttons point (ALERT_PUBLIC_URL), e.g. a custom domain in front of the Function URL; null: the Function URL itself."
  type        = string
  default     = null
}

variable "alertmanager_url" {
  description = "The Alertmanager the Silence 4h button silences in (ALERTMANAGER_URL, its v2 API reachable from the Lambda); null: no Silence button."
  type        = string
  default     = null
}

variable "alertmanager_basic_auth_parameter" {
  description = "SecureString holding user:password for that Alertmanager's web config (ALERTMANAGER_BASIC_AUTH); null when it needs none."
  type        = string
  default     = null
}

locals {
  # Merged into the sink's secret parameters (main.tf): the variables, and read permission.
  ack_parameters = merge(
    var.ack_key_parameter == null ? {} : { ALERT_ACK_KEY_PARAM = var.ack_key_parameter },
    var.alertmanager_basic_auth_parameter == null ? {} : {
      ALERTMANAGER_BASIC_AUTH_PARAM = var.alertmanager_basic_auth_parameter
    },
  )
  # Plain settings (lambda.tf).
  ack_settings = merge(
    var.public_url == null ? {} : { ALERT_PUBLIC_URL = var.public_url },
    var.alertmanager_url == null ? {} : { ALERTMANAGER_URL = var.alertmanager_url },
  )
}
