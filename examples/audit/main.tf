# An instance audit for CI: `terraform plan` fails when a rule that must hold
# is broken (conditions), and warns about what deserves a look (checks).
# Configure the provider through the environment (ZAPI_* or ENVIAAI_*).
# `make audit-demo` runs it against the bundled emulator.
#
# Private by default: the chat rules read counts (whatsapp_chat_summary), so
# no customer's name, phone or message lands in state or in the plan's
# output. Set name_chats = true to have the spam and archived-chat rules
# name the chats they find; they then read the chat list, and those names
# and phones are kept in state.
#
# Spam, pinned and archived status come from Z-API; EnviaAI does not report
# them, so those attributes are null there. The rules fail closed: the
# pinned rule fails when pinning is unknown, and a check warns when no chat
# reports its spam or archive status, rather than passing without evidence.
#
# The chat rules need a connected instance (instance.tf): on one that is
# not, no chat is read and a check says the chat rules were not judged.

terraform {
  required_providers {
    whatsapp = {
      source = "whatsapp-tf/whatsapp"
    }
  }
}

variable "support_phone" {
  description = "The support chat, which must exist and stay pinned."
  type        = string
  default     = "5511999999999"
}

variable "max_unread_backlog" {
  description = "Warn when the instance holds more unread messages than this."
  type        = number
  default     = 500
}

variable "name_chats" {
  description = "Name the chats that break the spam and archived-chat rules. Their names and phones then land in state and in the plan's output."
  type        = bool
  default     = false
}

data "whatsapp_chat_summary" "all" {
  count = local.connected ? 1 : 0
}

# The chats with unread messages: its archived count is the number of
# archived chats that hide unread messages.
data "whatsapp_chat_summary" "unread" {
  count       = local.connected ? 1 : 0
  unread_only = true
}

data "whatsapp_chat" "support" {
  count = local.connected ? 1 : 0
  phone = var.support_phone

  lifecycle {
    postcondition {
      condition     = self.pinned == true
      error_message = self.pinned == null ? "The backend does not report whether the support chat ${var.support_phone} is pinned (EnviaAI does not), so the rule cannot hold." : "The support chat ${var.support_phone} is not pinned."
    }
  }
}

locals {
  summary       = one(data.whatsapp_chat_summary.all)    # null when not read
  unread        = one(data.whatsapp_chat_summary.unread) # null when not read
  spam          = local.summary == null ? 0 : coalesce(local.summary.marked_spam, 0)
  archived_read = local.unread == null ? 0 : coalesce(local.unread.archived, 0)
}

# Only with name_chats, and only when a rule has chats to name.
data "whatsapp_chats" "named" {
  count = var.name_chats && local.spam + local.archived_read > 0 ? 1 : 0
}

locals {
  chats           = flatten([for list in data.whatsapp_chats.named : list.chats])
  spam_chats      = [for c in local.chats : coalesce(c.name, c.phone, c.id) if c.marked_spam == true]
  archived_unread = [for c in local.chats : coalesce(c.name, c.phone, c.id) if c.archived == true && coalesce(c.unread_count, 0) > 0]
}

check "chat_rules_judged" {
  assert {
    condition     = local.connected
    error_message = "The instance is not connected, so no chat was read and the chat rules (unread backlog, spam, archived chats, pinned support chat) were not judged."
  }
}

check "spam_and_archive_status_reported" {
  assert {
    condition     = local.summary == null ? true : local.summary.chats == 0 || local.summary.marked_spam != null || local.summary.archived != null
    error_message = "No chat reports its spam or archive status (EnviaAI does not), so the spam and archived-chat rules have nothing to judge."
  }
}

check "unread_backlog" {
  assert {
    condition     = local.summary == null ? true : local.summary.unread_messages <= var.max_unread_backlog
    error_message = "The instance holds ${local.summary == null ? 0 : local.summary.unread_messages} unread messages, over the limit of ${var.max_unread_backlog}."
  }
}

check "archived_chats_with_unread_messages" {
  assert {
    condition     = local.archived_read == 0
    error_message = var.name_chats ? "Archived chats hide unread messages: ${join(", ", local.archived_unread)}." : "${local.archived_read} archived chats hide unread messages (set name_chats = true to name them)."
  }
}

# The spam rule is a condition on an output rather than a postcondition on
# a data source, so that when it fails the checks above still run and warn
# in the same plan.
output "spam_chats" {
  value = local.spam

  precondition {
    condition     = local.spam == 0
    error_message = var.name_chats ? "Chats marked as spam: ${join(", ", local.spam_chats)}." : "${local.spam} chats are marked as spam (set name_chats = true to name them)."
  }
}

output "chat_count" {
  value = local.summary == null ? null : local.summary.chats
}

output "unread_backlog" {
  value = local.summary == null ? null : local.summary.unread_messages
}
