# The configured instance: its link, its webhooks and its paid period.
# A disconnected instance reads as data (status = "disconnected"); what it
# refused to report is null (a disconnected Z-API instance's webhooks).
data "whatsapp_instance" "this" {}

output "instance" {
  value = {
    status     = data.whatsapp_instance.this.status
    connected  = data.whatsapp_instance.this.connected
    webhooks   = data.whatsapp_instance.this.webhooks
    auto_read  = data.whatsapp_instance.this.auto_read_messages
    expires_at = data.whatsapp_instance.this.expires_at
  }
}

# The same webhook rule on both backends: every URL set is on the expected
# host. Webhooks the instance did not report cannot be judged, and the
# check says so; the conditional keeps values() from ever seeing a null.
check "webhooks_on_expected_host" {
  assert {
    condition     = data.whatsapp_instance.this.webhooks == null ? false : alltrue([for u in values(data.whatsapp_instance.this.webhooks) : startswith(u, "https://hooks.example.com/")])
    error_message = data.whatsapp_instance.this.webhooks == null ? "The instance did not report its webhooks (it is not connected), so they could not be checked." : "A webhook points elsewhere: ${jsonencode(data.whatsapp_instance.this.webhooks)}."
  }
}
