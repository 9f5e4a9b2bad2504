# One chat by phone number; a phone with no chat fails the run.
data "whatsapp_chat" "support" {
  phone = "5511999999999"
}

output "support_chat" {
  value = {
    name         = data.whatsapp_chat.support.name
    pinned       = data.whatsapp_chat.support.pinned
    unread_count = data.whatsapp_chat.support.unread_count
    last_message = data.whatsapp_chat.support.last_message_time
  }
}
