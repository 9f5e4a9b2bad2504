# EnviaAI: a webhook of the account, signed with a secret of your own.
# Pass the secret through an ephemeral variable (TF_VAR_webhook_secret, or
# -var): a write-only argument keeps it out of state and plans, and an
# ephemeral variable keeps it out of the saved plan's configuration too.
variable "webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "whatsapp_webhook" "orders" {
  url    = "https://hooks.example.com/whatsapp/orders"
  events = ["message.received", "message.sent", "message.failed"]
  name   = "Orders"

  # Sent when the webhook is created, stored nowhere. To rotate, set the new
  # secret and raise the version: a new webhook is created with it, then the
  # old one deleted (no gap, thanks to create_before_destroy).
  secret_wo         = var.webhook_secret
  secret_wo_version = 1

  lifecycle {
    create_before_destroy = true
  }
}

# Without secret_wo, EnviaAI generates the secret. The provider never reads
# it into state: copy it from EnviaAI's panel, on the webhook's page.
resource "whatsapp_webhook" "status" {
  instance_id = "inst_support"
  url         = "https://hooks.example.com/whatsapp/status"
  events      = ["instance.connected", "instance.disconnected", "instance.qr_updated"]
}
