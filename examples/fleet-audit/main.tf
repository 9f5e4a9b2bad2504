# A fleet audit for CI: every instance of the account, read in full by one
# whatsapp_instances data source with details = true, judged by four rules.
# `terraform plan` fails when an instance is not connected, and warns about
# webhooks off the expected host, auto-read left on, and queues that pile
# up. Each rule fires once, naming every instance that breaks it.
#
# Configure the provider through the environment. Z-API: ZAPI_PARTNER_TOKEN
# (the partner token lists the account and hands the provider each
# instance's own token, used in memory for that instance's reads only and
# never stored or shown) and ZAPI_CLIENT_TOKEN when the account requires
# one. EnviaAI: ENVIAAI_API_KEY. Run it offline against the bundled
# emulator: `go run ./internal/emulator/cmd/whatsapp-emulator -backend zapi
# -env-file emu.env`, then load emu.env and plan.
#
# A value an instance did not report is null, and its rule passes rather
# than judging without evidence: EnviaAI documents no message queue, and a
# Z-API instance that is not connected refuses to report its settings (its
# webhooks are then those the listing reports, the delivery webhook only).
# The data source's warning names every instance not read in full.
#
# Expressions here hold on every supported CLI: Terraform evaluates both
# sides of `&&` and `||`, so a null is tested with a conditional
# (`x == null ? … : …`), whose untaken branch is never evaluated.

terraform {
  required_providers {
    whatsapp = {
      source = "whatsapp-tf/whatsapp"
    }
  }
}

variable "webhook_base" {
  description = "Every webhook must be an HTTPS URL under this prefix."
  type        = string
  default     = "https://hooks.example.com/"
}

variable "max_queued_messages" {
  description = "Warn when an instance holds more messages waiting to be sent than this."
  type        = number
  default     = 50
}

data "whatsapp_instances" "fleet" {
  details = true
}

locals {
  fleet = data.whatsapp_instances.fleet.instances

  not_connected = [for i in local.fleet : "${i.id} (${coalesce(i.status, "unknown")})" if i.connected != true]
  stray_webhooks = flatten([
    for i in local.fleet : i.webhooks == null ? [] : [
      for event, url in i.webhooks : "${i.id}: ${event} = ${url}" if !startswith(url, var.webhook_base)
    ]
  ])
  auto_read = [for i in local.fleet : i.id if i.auto_read_messages == true]
  piled_up = [
    for i in local.fleet : "${i.id} (${i.queued_messages})"
    if(i.queued_messages == null ? false : i.queued_messages > var.max_queued_messages)
  ]
}

# A condition on an output rather than a postcondition on the data source:
# when it fails, the checks below still run and warn in the same plan.
output "instances" {
  value = length(local.fleet)

  precondition {
    condition     = length(local.not_connected) == 0
    error_message = "Instances not connected: ${join(", ", local.not_connected)}. Reconnect them in the panel (scan the QR code)."
  }
}

check "webhooks_on_expected_host" {
  assert {
    condition     = length(local.stray_webhooks) == 0
    error_message = "Webhooks outside ${var.webhook_base}: ${join(", ", local.stray_webhooks)}."
  }
}

check "auto_read_off" {
  assert {
    condition     = length(local.auto_read) == 0
    error_message = "Instances that mark received messages read automatically, so their unread backlog tells nothing: ${join(", ", local.auto_read)}."
  }
}

check "queue_under_threshold" {
  assert {
    condition     = length(local.piled_up) == 0
    error_message = "Instances with more than ${var.max_queued_messages} messages waiting to be sent: ${join(", ", local.piled_up)}."
  }
}
