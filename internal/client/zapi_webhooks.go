package client

import (
	"context"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Z-API has no webhooks API: its webhooks are settings of an instance
// (see its settings writes). Every webhooks call is a *NoWebhooksError.

func (z *zapi) noWebhooks() error { return &NoWebhooksError{Backend: BackendZAPI} }

func (z *zapi) checkWebhook(WebhookSpec) error { return z.noWebhooks() }

func (z *zapi) createWebhook(context.Context, *transport.Transport, WebhookSpec) (*Webhook, error) {
	return nil, z.noWebhooks()
}

func (z *zapi) readWebhook(context.Context, *transport.Transport, string) (*Webhook, error) {
	return nil, z.noWebhooks()
}

func (z *zapi) updateWebhook(context.Context, *transport.Transport, string, WebhookChange) error {
	return z.noWebhooks()
}

func (z *zapi) deleteWebhook(context.Context, *transport.Transport, string) error {
	return z.noWebhooks()
}

func (z *zapi) listWebhooks(context.Context, *transport.Transport) ([]Webhook, error) {
	return nil, z.noWebhooks()
}

func (z *zapi) webhookDeliveries(context.Context, *transport.Transport, string, DeliveryOptions) ([]Delivery, error) {
	return nil, z.noWebhooks()
}
