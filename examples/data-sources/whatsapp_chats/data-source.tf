# Every chat of the instance, every page read.
data "whatsapp_chats" "all" {}

# The ten chats with the most unread messages.
data "whatsapp_chats" "backlog" {
  unread_only = true
  sort_by     = "unread_count"
  max_results = 10
}

# One page of chats whose name or phone contains "support".
data "whatsapp_chats" "support" {
  search     = "support"
  sort_by    = "name"
  sort_order = "asc"
  page       = 1
  page_size  = 20
}

output "unread_backlog" {
  value = {
    for c in data.whatsapp_chats.backlog.chats : coalesce(c.name, c.phone) => c.unread_count
  }
}

output "group_ids" {
  value = [for c in data.whatsapp_chats.all.chats : c.id if c.is_group == true]
}

output "support_chats" {
  value = {
    names    = data.whatsapp_chats.support.chats[*].name
    total    = data.whatsapp_chats.support.total
    has_more = data.whatsapp_chats.support.has_more
  }
}
