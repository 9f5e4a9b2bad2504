# The support chat must stay pinned. The chat is read during each plan and
# apply, and its name and last message never reach state.
ephemeral "whatsapp_chat" "support" {
  phone = "5511999999999"
}

check "support_chat_pinned" {
  assert {
    condition     = ephemeral.whatsapp_chat.support.pinned == true
    error_message = "The support chat is not pinned (or the backend does not report pinning: EnviaAI does not)."
  }
}
