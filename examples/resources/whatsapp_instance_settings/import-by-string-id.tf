# With Terraform 1.5 or later, or OpenTofu, an import block does the same in
# a plan: with a configuration that matches the instance, the plan imports it
# and changes nothing.
import {
  to = whatsapp_instance_settings.main
  id = "demo-instance"
}
