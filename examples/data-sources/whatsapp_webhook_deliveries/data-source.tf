# The health of one webhook over its last 100 deliveries: counts only.
data "whatsapp_webhook_deliveries" "orders" {
  webhook_id = "wh_orders"
}

# Audit: fewer than 5% of the last 100 deliveries failed.
check "orders_webhook_delivers" {
  assert {
    condition     = coalesce(data.whatsapp_webhook_deliveries.orders.failure_rate, 0) < 0.05
    error_message = "${data.whatsapp_webhook_deliveries.orders.failed} of the last ${data.whatsapp_webhook_deliveries.orders.deliveries} deliveries failed (events: ${join(", ", data.whatsapp_webhook_deliveries.orders.failed_events)})."
  }
}

output "orders_delivery_health" {
  value = {
    failed          = data.whatsapp_webhook_deliveries.orders.failed
    failure_rate    = data.whatsapp_webhook_deliveries.orders.failure_rate
    last_failure_at = data.whatsapp_webhook_deliveries.orders.last_failure_at
    pending_retries = data.whatsapp_webhook_deliveries.orders.pending_retries
  }
}
