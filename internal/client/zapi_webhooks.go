package client

import "context"

// Z-API has no webhooks API: its webhooks are settings of an instance
// (see its settings writes). Every webhooks call is a *NoWebhooksError.

func (z *zapi) noWebhooks() error { return &NoWebhooksError{Backend: BackendZAPI} }

func (z *zapi) checkWebhook(WebhookSpec) error { return z.noWebhooks() }

func (z *zapi) createWebhook(context.Context, *httpCore, WebhookSpec) (*Webhook, error) {
	return nil, z.noWebhooks()
}

func (z *zapi) readWebhook(context.Context, *httpCore, string) (*Webhook, error) {
	return nil, z.noWebhooks()
}

func (z *zapi) updateWebhook(context.Context, *httpCore, string, WebhookChange) error {
	return z.noWebhooks()
}

func (z *zapi) deleteWebhook(context.Context, *httpCore, string) error { return z.noWebhooks() }

func (z *zapi) listWebhooks(context.Context, *httpCore) ([]Webhook, error) {
	return nil, z.noWebhooks()
}

func (z *zapi) webhookDeliveries(context.Context, *httpCore, string, DeliveryOptions) ([]Delivery, error) {
	return nil, z.noWebhooks()
}
