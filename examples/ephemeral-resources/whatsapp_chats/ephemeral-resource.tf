# A chat rule that keeps no customer data: the list is read during each
# plan and apply and never written to state or to a plan file. The rule
# passes or warns without naming a chat: a message that interpolated an
# ephemeral value would be replaced by the CLI.
ephemeral "whatsapp_chats" "unread" {
  unread_only = true
}

check "no_archived_chat_hides_unread_messages" {
  assert {
    condition     = length([for c in ephemeral.whatsapp_chats.unread.chats : c if c.archived == true]) == 0
    error_message = "Archived chats hide unread messages. List them with the whatsapp_chats data source (which keeps them in state) to name them."
  }
}
