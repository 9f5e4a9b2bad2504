# Delivery health of the account's EnviaAI webhooks (Z-API has no webhooks
# API: leave webhook_ids empty there). Counts only: no delivery's payload
# is read.

variable "webhook_ids" {
  description = "EnviaAI webhooks whose last 100 deliveries to audit, by id."
  type        = set(string)
  default     = []
}

variable "max_failure_rate" {
  description = "Warn when more than this share of a webhook's last 100 deliveries failed."
  type        = number
  default     = 0.05
}

data "whatsapp_webhook_deliveries" "audited" {
  for_each   = var.webhook_ids
  webhook_id = each.value
}

locals {
  failing_webhooks = [
    for id, d in data.whatsapp_webhook_deliveries.audited :
    "${id} (${d.failed} of ${d.deliveries} failed: ${join(", ", d.failed_events)})"
    if coalesce(d.failure_rate, 0) > var.max_failure_rate
  ]
}

check "webhooks_deliver" {
  assert {
    condition     = length(local.failing_webhooks) == 0
    error_message = "Webhooks failing more than ${var.max_failure_rate * 100}% of their last deliveries: ${join("; ", local.failing_webhooks)}."
  }
}
