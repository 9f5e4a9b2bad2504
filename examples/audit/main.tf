# An instance audit for CI: `terraform plan` fails when a rule that must hold
# is broken (conditions), and warns about what deserves a look (checks).
# Configure the provider through the environment (ZAPI_* or ENVIAAI_*).
# `make audit-demo` runs it against the bundled emulator.
#
# Spam, pinned and archived status come from Z-API; EnviaAI does not report
# them, so those attributes are null there. The rules below fail closed: the
# pinned rule fails when pinning is unknown, and a check warns when no chat
# reports its spam or archive status, rather than passing without evidence.

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

# Counts come from the summary, which keeps no chat in state; chats are
# listed only where a rule must name them.
data "whatsapp_chat_summary" "all" {}

# Only the chats with unread messages: the archived ones among them are
# named below.
data "whatsapp_chats" "unread" {
  unread_only = true
}

# Every chat, read only when the summary counts spam chats, to name them.
data "whatsapp_chats" "all" {
  count = coalesce(data.whatsapp_chat_summary.all.marked_spam, 0) > 0 ? 1 : 0
}

data "whatsapp_chat" "support" {
  phone = var.support_phone

  lifecycle {
    postcondition {
      condition     = self.pinned == true
      error_message = self.pinned == null ? "The backend does not report whether the support chat ${var.support_phone} is pinned (EnviaAI does not), so the rule cannot hold." : "The support chat ${var.support_phone} is not pinned."
    }
  }
}

locals {
  summary    = data.whatsapp_chat_summary.all
  spam_chats = flatten([for list in data.whatsapp_chats.all : [for c in list.chats : coalesce(c.name, c.phone, c.id) if c.marked_spam == true]])
  archived_unread = [
    for c in data.whatsapp_chats.unread.chats : coalesce(c.name, c.phone, c.id) if c.archived == true
  ]
}

check "spam_and_archive_status_reported" {
  assert {
    condition     = local.summary.chats == 0 || local.summary.marked_spam != null || local.summary.archived != null
    error_message = "No chat reports its spam or archive status (EnviaAI does not), so the spam and archived-chat rules have nothing to judge."
  }
}

check "unread_backlog" {
  assert {
    condition     = local.summary.unread_messages <= var.max_unread_backlog
    error_message = "The instance holds ${local.summary.unread_messages} unread messages, over the limit of ${var.max_unread_backlog}."
  }
}

check "archived_chats_with_unread_messages" {
  assert {
    condition     = length(local.archived_unread) == 0
    error_message = "Archived chats hide unread messages: ${join(", ", local.archived_unread)}."
  }
}

# The spam rule is a condition on an output rather than a postcondition on
# a data source, so that when it fails the checks above still run and warn
# in the same plan.
output "spam_chats" {
  value = local.spam_chats

  precondition {
    condition     = coalesce(local.summary.marked_spam, 0) == 0
    error_message = "Chats marked as spam: ${join(", ", local.spam_chats)}."
  }
}

output "chat_count" {
  value = local.summary.chats
}

output "unread_backlog" {
  value = local.summary.unread_messages
}
