# The import id is the instance id: Z-API's must be the provider's own,
# EnviaAI's any instance of the account. An import reads every setting and
# manages none until the next apply.
terraform import whatsapp_instance_settings.main demo-instance
