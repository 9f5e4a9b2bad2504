# The import id is the webhook id (GET /v1/webhooks, or the
# whatsapp_webhooks data source). The secret is not imported: the
# configuration's secret_wo_version is recorded at the next apply, which
# changes nothing on the webhook.
terraform import whatsapp_webhook.orders wh_orders
