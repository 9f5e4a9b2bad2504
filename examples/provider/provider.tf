terraform {
  required_providers {
    whatsapp = {
      source = "whatsapp-tf/whatsapp"
    }
  }
}

# Z-API: the instance ID and token from the Z-API panel. client_token is the
# account security token, needed when the account enabled it.
provider "whatsapp" {
  zapi = {
    instance_id  = var.zapi_instance_id
    token        = var.zapi_token
    client_token = var.zapi_client_token
  }
}

# EnviaAI, as a second, aliased provider: data sources pick it with
# `provider = whatsapp.enviaai`.
provider "whatsapp" {
  alias = "enviaai"
  enviaai = {
    api_key     = var.enviaai_api_key
    instance_id = "inst_abc123"
  }
  request_timeout         = "30s"
  max_retries             = 4
  max_concurrent_requests = 16
}

# With no block at all, the provider reads the environment: ZAPI_INSTANCE_ID,
# ZAPI_TOKEN and ZAPI_CLIENT_TOKEN, or ENVIAAI_API_KEY and ENVIAAI_INSTANCE_ID.
provider "whatsapp" {
  alias = "from_environment"
}

variable "zapi_instance_id" {
  type = string
}

variable "zapi_token" {
  type      = string
  sensitive = true
}

variable "zapi_client_token" {
  type      = string
  sensitive = true
  default   = null
}

variable "enviaai_api_key" {
  type      = string
  sensitive = true
}
