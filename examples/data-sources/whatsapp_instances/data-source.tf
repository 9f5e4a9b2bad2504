# Every instance of the account that is not connected. On Z-API this needs
# the provider's zapi.partner_token (or ZAPI_PARTNER_TOKEN).
data "whatsapp_instances" "disconnected" {
  status = "disconnected"
}

output "disconnected_instances" {
  value = { for i in data.whatsapp_instances.disconnected.instances : i.id => coalesce(i.name, i.id) }
}
