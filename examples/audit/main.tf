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

data "whatsapp_chats" "all" {}

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
  unread_backlog = sum(concat([0], [for c in data.whatsapp_chats.all.chats : coalesce(c.unread_count, 0)]))
  spam_chats     = [for c in data.whatsapp_chats.all.chats : coalesce(c.name, c.phone, c.id) if c.marked_spam == true]
}

check "spam_and_archive_status_reported" {
  assert {
    condition     = length(data.whatsapp_chats.all.chats) == 0 || anytrue([for c in data.whatsapp_chats.all.chats : c.marked_spam != null || c.archived != null])
    error_message = "No chat reports its spam or archive status (EnviaAI does not), so the spam and archived-chat rules have nothing to judge."
  }
}

check "unread_backlog" {
  assert {
    condition     = local.unread_backlog <= var.max_unread_backlog
    error_message = "The instance holds ${local.unread_backlog} unread messages, over the limit of ${var.max_unread_backlog}."
  }
}

check "archived_chats_with_unread_messages" {
  assert {
    condition     = length([for c in data.whatsapp_chats.all.chats : c if c.archived == true && coalesce(c.unread_count, 0) > 0]) == 0
    error_message = "Archived chats hide unread messages: ${join(", ", [for c in data.whatsapp_chats.all.chats : coalesce(c.name, c.phone, c.id) if c.archived == true && coalesce(c.unread_count, 0) > 0])}."
  }
}

# The spam rule is a condition on an output rather than a postcondition on
# data.whatsapp_chats.all, so that when it fails the checks below, which read
# the same chats, still run and warn in the same plan.
output "spam_chats" {
  value = local.spam_chats

  precondition {
    condition     = length(local.spam_chats) == 0
    error_message = "Chats marked as spam: ${join(", ", local.spam_chats)}."
  }
}

output "chat_count" {
  value = data.whatsapp_chats.all.total
}

output "unread_backlog" {
  value = local.unread_backlog
}
