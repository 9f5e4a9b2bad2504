# The provider's main job against the bundled emulator of both APIs: read
# the instance's state, then every chat, the unread backlog and one chat by
# phone, from each backend.
# `make demo` starts the emulator and passes its URL in.

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

variable "show_chat_names" {
  description = "Print the chats' names (or phones) beside their counts. Chat names and phones are customers' personal data, so the outputs leave them out unless asked."
  type        = bool
  default     = false
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

# Z-API

data "whatsapp_instance" "zapi" {
  provider = whatsapp.zapi
}

data "whatsapp_chats" "zapi_all" {
  provider = whatsapp.zapi
}

data "whatsapp_chats" "zapi_backlog" {
  provider    = whatsapp.zapi
  unread_only = true
  sort_by     = "unread_count"
  max_results = 5
}

data "whatsapp_chat" "zapi_support" {
  provider = whatsapp.zapi
  phone    = "5511999999999"
}

# EnviaAI

data "whatsapp_instance" "enviaai" {
  provider = whatsapp.enviaai
}

data "whatsapp_chats" "enviaai_all" {
  provider = whatsapp.enviaai
}

data "whatsapp_chats" "enviaai_backlog" {
  provider    = whatsapp.enviaai
  unread_only = true
  sort_by     = "unread_count"
  max_results = 5
}

data "whatsapp_chat" "enviaai_first" {
  provider = whatsapp.enviaai
  phone    = data.whatsapp_chats.enviaai_all.chats[0].phone
}

locals {
  backends = {
    zapi    = { all = data.whatsapp_chats.zapi_all, backlog = data.whatsapp_chats.zapi_backlog, one = data.whatsapp_chat.zapi_support }
    enviaai = { all = data.whatsapp_chats.enviaai_all, backlog = data.whatsapp_chats.enviaai_backlog, one = data.whatsapp_chat.enviaai_first }
  }
}

# Named to print before the chats: Terraform prints outputs by name.
output "instance" {
  value = {
    for name, i in { zapi = data.whatsapp_instance.zapi, enviaai = data.whatsapp_instance.enviaai } : name => {
      status              = i.status
      webhooks            = i.webhooks
    }
  }
}

output "summary" {
  value = {
    for name, b in local.backends : name => {
      chats          = length(b.all.chats)
      total          = b.all.total
      groups         = length([for c in b.all.chats : c if c.is_group == true])
      unread_backlog = sum(concat([0], [for c in b.all.chats : coalesce(c.unread_count, 0)]))
      most_unread    = [for c in b.backlog.chats : var.show_chat_names ? "${coalesce(c.name, c.phone)}: ${c.unread_count}" : "${c.unread_count} unread"]
      one_chat       = "${var.show_chat_names ? "${coalesce(b.one.name, b.one.phone)}, " : ""}last message at ${coalesce(b.one.last_message_time, "unknown")}"
    }
  }
}
