# The same reads against whichever backend the caller passes in.

terraform {
  required_providers {
    whatsapp = {
      source = "whatsapp-tf/whatsapp"
    }
  }
}

data "whatsapp_chats" "all" {}

data "whatsapp_chats" "backlog" {
  unread_only = true
  sort_by     = "unread_count"
  max_results = 5
}

data "whatsapp_chats" "first_by_name" {
  sort_by    = "name"
  sort_order = "asc"
  page       = 1
  page_size  = 3
}

data "whatsapp_chat" "first" {
  phone = data.whatsapp_chats.all.chats[0].phone
}

output "summary" {
  value = {
    chats          = length(data.whatsapp_chats.all.chats)
    total          = data.whatsapp_chats.all.total
    groups         = length([for c in data.whatsapp_chats.all.chats : c if c.is_group == true])
    unread_backlog = sum(concat([0], [for c in data.whatsapp_chats.all.chats : coalesce(c.unread_count, 0)]))
    most_unread    = [for c in data.whatsapp_chats.backlog.chats : "${coalesce(c.name, c.phone)}: ${c.unread_count}"]
    first_by_name  = data.whatsapp_chats.first_by_name.chats[*].name
    first_chat     = "${coalesce(data.whatsapp_chat.first.name, data.whatsapp_chat.first.phone)} at ${coalesce(data.whatsapp_chat.first.last_message_time, "unknown")}"
  }
}
