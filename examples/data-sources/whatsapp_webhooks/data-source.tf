# Every webhook of the account, across every instance.
data "whatsapp_webhooks" "all" {}

locals {
  foreign_webhooks = [
    for w in data.whatsapp_webhooks.all.webhooks : w.id
    if !startswith(w.url, "https://hooks.example.com/")
  ]
}

# Audit: no webhook sends our messages outside our domain.
check "webhooks_stay_on_our_domain" {
  assert {
    condition     = length(local.foreign_webhooks) == 0
    error_message = "Webhooks pointing outside hooks.example.com: ${join(", ", local.foreign_webhooks)}."
  }
}

output "foreign_webhooks" {
  value = local.foreign_webhooks
}
