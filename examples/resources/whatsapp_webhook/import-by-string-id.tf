# With Terraform 1.5 or later, or OpenTofu, an import block does the same in
# a plan: with a configuration that matches the webhook, the plan imports it
# and changes nothing.
import {
  to = whatsapp_webhook.orders
  id = "wh_orders"
}
