# Counts over every chat of the instance: every page is read, no chat is
# kept in state.
data "whatsapp_chat_summary" "all" {}

# Counts over the chats whose name or phone contains "support" and that
# have unread messages.
data "whatsapp_chat_summary" "support_backlog" {
  search      = "support"
  unread_only = true
}

output "instance" {
  value = {
    chats           = data.whatsapp_chat_summary.all.chats
    groups          = data.whatsapp_chat_summary.all.groups
    unread_messages = data.whatsapp_chat_summary.all.unread_messages
    # null on EnviaAI, which does not report spam
    marked_spam = data.whatsapp_chat_summary.all.marked_spam
    # since when the longest-waiting chat has waited
    waiting_since = data.whatsapp_chat_summary.all.oldest_unread_message_time
  }
}

output "support_backlog" {
  value = data.whatsapp_chat_summary.support_backlog.unread_messages
}
