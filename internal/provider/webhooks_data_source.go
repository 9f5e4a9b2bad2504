package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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

type webhooksDataSource struct{ data *providerData }

type webhooksDataSourceModel struct {
	InstanceID types.String   `tfsdk:"instance_id"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
	Webhooks   types.List     `tfsdk:"webhooks"`
}

// webhookTypes are the attributes of one listed webhook: the resource's,
// less its secret and the arguments only a configuration holds.
func webhookTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "instance_id": types.StringType, "url": types.StringType, "events": types.SetType{ElemType: types.StringType},
		"name": types.StringType, "status": types.StringType, "created_at": types.StringType,
	}
}

func (d *webhooksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhooks"
}

func (d *webhooksDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the EnviaAI account's own webhooks (`GET /v1/webhooks`), for audits such as \"no webhook points outside our domain\" across every instance. " +
			"Each has the attributes of `whatsapp_webhook` but its secret, which the provider never reads. Z-API has no webhooks API: read its webhooks with `whatsapp_instance`.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Keep the webhooks of this instance only; all of the account's when unset. EnviaAI's reference names no filter for the listing, so the provider filters.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"timeouts": timeoutsAttribute(ctx),
			"webhooks": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The webhooks, in the API's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          str("The webhook's id."),
					"instance_id": str("The instance it belongs to."),
					"url":         str("Where its deliveries go."),
					"events":      schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The events it receives."},
					"name":        str("Its name."),
					"status":      str("Its status, such as `active`."),
					"created_at":  str("When it was created (RFC 3339)."),
				}},
			},
		},
	}
}

func (d *webhooksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *webhooksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhooksDataSourceModel
	readCtx, cancel, ok := startRead(ctx, d.data, req.Config, &m, func(m *webhooksDataSourceModel) timeouts.Value { return m.Timeouts }, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	hooks, err := d.data.client.ListWebhooks(readCtx, m.InstanceID.ValueString())
	if err != nil {
		addWebhookReadError(&resp.Diagnostics, "Unable to List Webhooks", err)
		return
	}
	objects := make([]attr.Value, len(hooks))
	for i := range hooks {
		s := webhookState(&hooks[i], &webhookModel{})
		obj, diags := types.ObjectValue(webhookTypes(), map[string]attr.Value{
			"id": s.ID, "instance_id": s.InstanceID, "url": s.URL, "events": s.Events, "name": s.Name, "status": s.Status, "created_at": s.CreatedAt,
		})
		resp.Diagnostics.Append(diags...)
		objects[i] = obj
	}
	webhooks, diags := types.ListValue(types.ObjectType{AttrTypes: webhookTypes()}, objects)
	m.Webhooks = webhooks
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
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

type webhookDeliveriesDataSource struct{ data *providerData }

type webhookDeliveriesModel struct {
	WebhookID             types.String   `tfsdk:"webhook_id"`
	Limit                 types.Int64    `tfsdk:"limit"`
	Status                types.String   `tfsdk:"status"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
	Deliveries            types.Int64    `tfsdk:"deliveries"`
	Succeeded             types.Int64    `tfsdk:"succeeded"`
	Failed                types.Int64    `tfsdk:"failed"`
	FailureRate           types.Float64  `tfsdk:"failure_rate"`
	LastSuccessAt         types.String   `tfsdk:"last_success_at"`
	LastFailureAt         types.String   `tfsdk:"last_failure_at"`
	LastFailureStatusCode types.Int64    `tfsdk:"last_failure_status_code"`
	FailedEvents          types.Set      `tfsdk:"failed_events"`
	PendingRetries        types.Int64    `tfsdk:"pending_retries"`
}

func (d *webhookDeliveriesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_deliveries"
}

func (d *webhookDeliveriesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	count := func(desc string) schema.Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Adds up an EnviaAI webhook's newest deliveries (`GET /v1/webhooks/{id}/logs`), for rules such as \"fewer than 5% of the last 100 deliveries failed\". " +
			"Counts and times only: no payload, no answer of the receiving server. A failed delivery is tried up to 6 times in all (after 30 s, 2 min, 10 min, 1 h and 6 h).",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{Required: true, MarkdownDescription: "The webhook, such as `whatsapp_webhook.main.id`.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"limit": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "How many of the newest deliveries to read: 1 to 100. Defaults to `100` (EnviaAI's own default is 50).",
				Validators: []validator.Int64{int64validator.Between(1, client.MaxDeliveries)},
			},
			"status": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Read only deliveries of this status: `success` or `failed`.",
				Validators: []validator.String{stringvalidator.OneOf(client.DeliverySucceeded, client.DeliveryFailed)},
			},
			"timeouts":                 timeoutsAttribute(ctx),
			"deliveries":               count("How many deliveries were read."),
			"succeeded":                count("How many of them succeeded."),
			"failed":                   count("How many of them failed."),
			"failure_rate":             schema.Float64Attribute{Computed: true, MarkdownDescription: "`failed` over `deliveries`, from 0 to 1; null when no delivery was read."},
			"last_success_at":          schema.StringAttribute{Computed: true, MarkdownDescription: "When the newest successful delivery read went (RFC 3339); null when none."},
			"last_failure_at":          schema.StringAttribute{Computed: true, MarkdownDescription: "When the newest failed delivery read went (RFC 3339); null when none."},
			"last_failure_status_code": count("The HTTP status the receiving server answered to the newest failed delivery; null when none, or when EnviaAI sent none."),
			"failed_events":            schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The events with a failed delivery among those read."},
			"pending_retries":          count("Failed deliveries with a next retry scheduled."),
		},
	}
}

func (d *webhookDeliveriesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDeliveriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhookDeliveriesModel
	readCtx, cancel, ok := startRead(ctx, d.data, req.Config, &m, func(m *webhookDeliveriesModel) timeouts.Value { return m.Timeouts }, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	opts := client.DeliveryOptions{Limit: client.MaxDeliveries, Status: m.Status.ValueString()}
	if !m.Limit.IsNull() {
		opts.Limit = int(m.Limit.ValueInt64())
	}
	ds, err := d.data.client.WebhookDeliveries(readCtx, m.WebhookID.ValueString(), opts)
	if err != nil {
		addWebhookReadError(&resp.Diagnostics, "Unable to Read Webhook Deliveries", err)
		return
	}
	s := client.SummarizeDeliveries(ds)
	m.Deliveries, m.Succeeded, m.Failed, m.PendingRetries = types.Int64Value(s.Deliveries), types.Int64Value(s.Succeeded), types.Int64Value(s.Failed), types.Int64Value(s.PendingRetries)
	m.FailureRate = types.Float64PointerValue(s.FailureRate)
	m.LastSuccessAt, m.LastFailureAt = timeString(s.LastSuccessAt), timeString(s.LastFailureAt)
	m.LastFailureStatusCode = types.Int64PointerValue(s.LastFailureStatusCode)
	m.FailedEvents = stringSet(s.FailedEvents)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func timeString(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}
