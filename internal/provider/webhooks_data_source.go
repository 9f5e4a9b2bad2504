package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure = (*webhooksDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*webhookDeliveriesDataSource)(nil)
)

func newWebhooksDataSource() datasource.DataSource { return &webhooksDataSource{} }

type webhooksDataSource struct{ configuredDataSource }

// webhookAttributes are one listed webhook's: whatsapp_webhook's, less its
// secret and the arguments only a configuration holds.
var webhookAttributes = newAttributeTable(
	stringAttribute("id", "The webhook's id.", func(w *client.Webhook) *string { return &w.ID }),
	stringAttribute("instance_id", "The instance it belongs to.", func(w *client.Webhook) *string { return w.InstanceID }),
	stringAttribute("url", "Where its deliveries go.", func(w *client.Webhook) *string { return w.URL }),
	stringSetAttribute("events", "The events it receives.", func(w *client.Webhook) []string { return w.Events }),
	stringAttribute("name", "Its name.", func(w *client.Webhook) *string { return w.Name }),
	stringAttribute("status", "Its status, such as `active`.", func(w *client.Webhook) *string { return w.Status }),
	timeAttribute("created_at", "When it was created."+rfc3339, func(w *client.Webhook) *time.Time { return w.CreatedAt }),
)

// webhooksResults are whatsapp_webhooks' results.
var webhooksResults = newAttributeTable(
	listAttribute("webhooks", "The webhooks, in the API's order.", webhookAttributes, func(hooks []client.Webhook) []client.Webhook { return hooks }),
)

func (d *webhooksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhooks"
}

func (d *webhooksDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the EnviaAI account's own webhooks (`GET /v1/webhooks`), for audits such as \"no webhook points outside our domain\" across every instance. " +
			"Each has the attributes of `whatsapp_webhook` but the arguments only a configuration holds: `secret_wo` (the provider never reads a secret), `secret_wo_version` and `timeouts`. Z-API has no webhooks API: read its webhooks with `whatsapp_instance`.",
		Attributes: withArguments(webhooksResults.schemaAttributes(), map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Keep the webhooks of this instance only; all of the account's when unset. EnviaAI's reference names no filter for the listing, so the provider filters.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"timeouts": timeoutsAttribute(ctx),
		}),
	}
}

func (d *webhooksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var instanceID types.String
	var t timeouts.Value
	readCtx, cancel, ok := startRead(ctx, d.data, req.Config, map[string]any{"instance_id": &instanceID}, &t, "", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	hooks, err := d.data.client.ListWebhooks(readCtx, instanceID.ValueString())
	if err != nil {
		addWebhookReadError(&resp.Diagnostics, "Unable to List Webhooks", err)
		return
	}
	resp.Diagnostics.Append(setResults(ctx, &resp.State, webhooksResults, hooks)...)
}

// addWebhookReadError reports a read of webhooks that failed.
func addWebhookReadError(diags *diag.Diagnostics, summary string, err error) {
	if errors.As(err, new(*client.WebhookNotFoundError)) {
		diags.AddAttributeError(path.Root("webhook_id"), summary, sentence(err.Error())+"\n\nCheck webhook_id against the whatsapp_webhooks data source.")
		return
	}
	addWebhookError(diags, summary, err)
}

func newWebhookDeliveriesDataSource() datasource.DataSource { return &webhookDeliveriesDataSource{} }

type webhookDeliveriesDataSource struct{ configuredDataSource }

// deliveryResults are whatsapp_webhook_deliveries' results.
var deliveryResults = newAttributeTable(
	int64Attribute("deliveries", "How many deliveries were read.", func(s *client.DeliverySummary) *int64 { return &s.Deliveries }),
	int64Attribute("succeeded", "How many of them succeeded.", func(s *client.DeliverySummary) *int64 { return &s.Succeeded }),
	int64Attribute("failed", "How many of them failed.", func(s *client.DeliverySummary) *int64 { return &s.Failed }),
	float64Attribute("failure_rate", "`failed` over `deliveries`, from 0 to 1; null when no delivery was read.",
		func(s *client.DeliverySummary) *float64 { return s.FailureRate }),
	timeAttribute("last_success_at", "When the newest successful delivery read went."+rfc3339+" Null when none.",
		func(s *client.DeliverySummary) *time.Time { return s.LastSuccessAt }),
	timeAttribute("last_failure_at", "When the newest failed delivery read went."+rfc3339+" Null when none.",
		func(s *client.DeliverySummary) *time.Time { return s.LastFailureAt }),
	int64Attribute("last_failure_status_code", "The HTTP status the receiving server answered to the newest failed delivery; null when none, or when EnviaAI sent none.",
		func(s *client.DeliverySummary) *int64 { return s.LastFailureStatusCode }),
	stringSetAttribute("failed_events", "The events with a failed delivery among those read.", func(s *client.DeliverySummary) []string { return s.FailedEvents }),
	int64Attribute("pending_retries", "Failed deliveries with a next retry scheduled.", func(s *client.DeliverySummary) *int64 { return &s.PendingRetries }),
)

func (d *webhookDeliveriesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_deliveries"
}

func (d *webhookDeliveriesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Adds up an EnviaAI webhook's newest deliveries (`GET /v1/webhooks/{id}/logs`), for rules such as \"fewer than 5% of the last 100 deliveries failed\". " +
			"Counts and times only: no payload, no answer of the receiving server. A failed delivery is tried up to 6 times in all (after 30 s, 2 min, 10 min, 1 h and 6 h).",
		Attributes: withArguments(deliveryResults.schemaAttributes(), map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{Required: true, MarkdownDescription: "The webhook, such as `whatsapp_webhook.main.id`.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"limit": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "How many of the newest deliveries to read: 1 to 100. Defaults to `100` (EnviaAI's own default is 50).",
				Validators: []validator.Int64{int64validator.Between(1, client.MaxDeliveries)},
			},
			"status": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Read only deliveries of this status: `success` or `failed`.",
				Validators: []validator.String{stringvalidator.OneOf(client.DeliverySucceeded, client.DeliveryFailed)},
			},
			"timeouts": timeoutsAttribute(ctx),
		}),
	}
}

func (d *webhookDeliveriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var webhookID, status types.String
	var limit types.Int64
	var t timeouts.Value
	readCtx, cancel, ok := startRead(ctx, d.data, req.Config, map[string]any{"webhook_id": &webhookID, "limit": &limit, "status": &status}, &t, "", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	opts := client.DeliveryOptions{Limit: client.MaxDeliveries, Status: status.ValueString()}
	if !limit.IsNull() {
		opts.Limit = int(limit.ValueInt64())
	}
	ds, err := d.data.client.WebhookDeliveries(readCtx, webhookID.ValueString(), opts)
	if err != nil {
		addWebhookReadError(&resp.Diagnostics, "Unable to Read Webhook Deliveries", err)
		return
	}
	summary := client.SummarizeDeliveries(ds)
	resp.Diagnostics.Append(setResults(ctx, &resp.State, deliveryResults, &summary)...)
}
