# The provider's main job against the bundled emulator of both APIs: read
# every chat, the unread backlog and one chat by phone, from each backend.
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

module "zapi" {
  source    = "./backend"
  providers = { whatsapp = whatsapp.zapi }
}

module "enviaai" {
  source    = "./backend"
  providers = { whatsapp = whatsapp.enviaai }
}

output "zapi" {
  value = module.zapi.summary
}

output "enviaai" {
  value = module.enviaai.summary
}
