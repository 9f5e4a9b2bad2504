# Instance rules: the state of the instance itself. They read the provider's
# own instance, so they need no other configuration. Fields a backend does
# not report are null: the paid period is Z-API's only, and its rule passes
# on EnviaAI rather than judging without evidence.

variable "webhook_base" {
  description = "Every webhook must be an HTTPS URL under this prefix."
  type        = string
  default     = "https://hooks.example.com/"
}

variable "min_paid_days" {
  description = "Warn when the paid period ends within this many days."
  type        = number
  default     = 14
}

data "whatsapp_instance" "this" {
  lifecycle {
    postcondition {
      condition     = self.connected == true
      error_message = "The instance ${self.id} is not connected (status ${coalesce(self.status, "unknown")}${self.status_message == null ? "" : ": ${self.status_message}"}). Reconnect it in the panel (scan the QR code)."
    }
  }
}

locals {
  webhooks = data.whatsapp_instance.this.webhooks == null ? {} : data.whatsapp_instance.this.webhooks
}

check "webhooks_on_expected_host" {
  assert {
    condition     = alltrue([for u in values(local.webhooks) : startswith(u, var.webhook_base)])
    error_message = "Webhooks outside ${var.webhook_base}: ${join(", ", [for event, u in local.webhooks : "${event} = ${u}" if !startswith(u, var.webhook_base)])}."
  }
}

check "paid_period" {
  assert {
    # Operators do not short-circuit: a null end (not reported) compares as the far future.
    condition     = timecmp(coalesce(data.whatsapp_instance.this.expires_at, "9999-12-31T23:59:59Z"), timeadd(plantimestamp(), "${var.min_paid_days * 24}h")) > 0
    error_message = "The paid period ends at ${coalesce(data.whatsapp_instance.this.expires_at, "an unknown time")}, within ${var.min_paid_days} days."
  }
}

check "auto_read_off" {
  assert {
    condition     = data.whatsapp_instance.this.auto_read_messages != true
    error_message = "The instance marks received messages read automatically, so the unread backlog tells nothing."
  }
}

# A read inside a check block: when it fails (a disconnected instance answers
# "You are not connected." on Z-API, instance_disconnected on EnviaAI),
# Terraform reports a warning instead of failing the run.
check "chats_readable" {
  data "whatsapp_chats" "probe" {
    max_results = 1
  }

  assert {
    condition     = length(data.whatsapp_chats.probe.chats) >= 0
    error_message = "The chat list could not be read."
  }
}
