# Instance rules: the state of the instance itself. They read the provider's
# own instance, so this file works alone. A disconnected instance is the
# audit's finding, not a failed read: the instance's own rule fails the plan,
# and the checks below still run and say what they could judge.
#
# A field the backend does not report is null, and its rule passes rather
# than judging without evidence: the paid period is Z-API's only. A Z-API
# instance that is not connected refuses to report its webhooks and
# settings; the last check warns that those rules were not judged.
#
# Expressions here hold on every supported CLI: Terraform evaluates both
# sides of `&&` and `||`, so a null is tested with a conditional
# (`x == null ? … : …`), whose untaken branch is never evaluated.

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

data "whatsapp_instance" "this" {}

locals {
  instance  = data.whatsapp_instance.this
  connected = local.instance.connected == true
  stray_webhooks = local.instance.webhooks == null ? [] : [
    for event, url in local.instance.webhooks : "${event} = ${url}" if !startswith(url, var.webhook_base)
  ]
}

# A condition on an output rather than a postcondition on the data source:
# when it fails, the checks below and the chat rules' own check still run
# and warn in the same plan.
output "instance_status" {
  value = local.instance.status

  precondition {
    condition     = local.connected
    error_message = "The instance ${local.instance.id} is not connected (status ${coalesce(local.instance.status, "unknown")}${local.instance.status_message == null ? "" : ": ${local.instance.status_message}"}). Reconnect it in the panel (scan the QR code)."
  }
}

check "webhooks_on_expected_host" {
  assert {
    condition     = length(local.stray_webhooks) == 0
    error_message = "Webhooks outside ${var.webhook_base}: ${join(", ", local.stray_webhooks)}."
  }
}

check "paid_period" {
  assert {
    condition     = local.instance.expires_at == null ? true : timecmp(local.instance.expires_at, timeadd(plantimestamp(), "${var.min_paid_days * 24}h")) > 0
    error_message = "The paid period ends at ${local.instance.expires_at == null ? "an unknown time" : local.instance.expires_at}, within ${var.min_paid_days} days."
  }
}

check "auto_read_off" {
  assert {
    condition     = local.instance.auto_read_messages != true
    error_message = "The instance marks received messages read automatically, so the unread backlog tells nothing."
  }
}

check "instance_settings_reported" {
  assert {
    condition     = local.instance.webhooks != null
    error_message = "The instance did not report its webhooks and settings (Z-API refuses to while the instance is not connected), so the webhook, auto-read and paid-period rules were not judged."
  }
}
