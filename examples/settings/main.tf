# Configuration as code against the bundled emulator of both APIs: the
# webhooks and settings of one instance per backend, and a webhook of the
# EnviaAI account. `make demo` applies it, changes a setting behind
# Terraform's back and shows the plan that repairs it.

terraform {
  required_providers {
    whatsapp = {
      source = "whatsapp-tf/whatsapp"
    }
  }
}

variable "emulator_url" {
  description = "Base URL of the running emulator (both APIs share it)."
  type        = string
}

provider "whatsapp" {
  alias = "zapi"
  zapi = {
    instance_id  = "demo-instance"
    token        = "demo-token"
    client_token = "demo-client-token"
    base_url     = var.emulator_url
  }
}

provider "whatsapp" {
  alias = "enviaai"
  enviaai = {
    api_key     = "demo-api-key"
    instance_id = "inst_demo"
    base_url    = var.emulator_url
  }
}

# Z-API: one PUT per setting changed. The delivery webhook and
# webhook_sent_by_me are left out, so they are read and never changed.
resource "whatsapp_instance_settings" "zapi" {
  provider = whatsapp.zapi
  webhooks = {
    received       = "https://hooks.example.com/zapi/received"
    message_status = "https://hooks.example.com/zapi/status"
    disconnected   = "https://hooks.example.com/zapi/disconnected"
  }
  auto_read_messages  = false
  reject_calls        = true
  reject_call_message = "We do not take calls here; please write to us."
}

# EnviaAI: one PATCH for every setting changed.
resource "whatsapp_instance_settings" "enviaai" {
  provider           = whatsapp.enviaai
  webhooks           = { all = "https://hooks.example.com/enviaai/inst_demo" }
  webhook_events     = ["message.received", "message.read", "instance.disconnected"]
  auto_read_messages = false
  auto_typing        = true
}

# EnviaAI: a webhook of the account, beside the instance's own URL. EnviaAI
# generates its signing secret, which the provider never stores (set
# secret_wo to sign with your own).
resource "whatsapp_webhook" "orders" {
  provider = whatsapp.enviaai
  url      = "https://hooks.example.com/enviaai/orders"
  events   = ["message.received", "message.failed"]
  name     = "Orders"
}

output "zapi_webhooks" {
  value = whatsapp_instance_settings.zapi.webhooks
}

output "enviaai_settings" {
  value = {
    auto_read_messages = whatsapp_instance_settings.enviaai.auto_read_messages
    webhook_events     = whatsapp_instance_settings.enviaai.webhook_events
  }
}

output "enviaai_webhook" {
  value = {
    url    = whatsapp_webhook.orders.url
    status = whatsapp_webhook.orders.status
  }
}
