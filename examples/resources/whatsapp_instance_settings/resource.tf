# Z-API: own where the instance's webhooks point and how it handles calls.
# Settings left out (here webhook_sent_by_me) are read, never changed.
# Webhooks left out of the map (here delivery and the connection events)
# stay as they are, whether the resource is created or imported: the map's
# events are managed, and destroy clears those only.
resource "whatsapp_instance_settings" "main" {
  webhooks = {
    received       = "https://hooks.example.com/whatsapp/received"
    message_status = "https://hooks.example.com/whatsapp/status"
    disconnected   = "https://hooks.example.com/whatsapp/disconnected"
  }
  auto_read_messages  = false
  reject_calls        = true
  reject_call_message = "We do not take calls here; please write to us."

  timeouts = { create = "5m", update = "5m" }
}
