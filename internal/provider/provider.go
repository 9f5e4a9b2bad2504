// Package provider is the Terraform side of the WhatsApp provider: schemas,
// configuration, the data sources, ephemeral resources and resources. It
// knows nothing of HTTP; it reads and writes through the client package's
// Client.
package provider

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var (
	_ provider.Provider                       = (*whatsappProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*whatsappProvider)(nil)
)

// New returns the provider factory for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &whatsappProvider{version: version} }
}

type whatsappProvider struct {
	version string
	// httpOptions, when set, replaces the HTTP tuning in tests.
	httpOptions *client.HTTPOptions
	// maxStateBytes, when positive, replaces maxStateBytes in tests.
	maxStateBytes int
	// getenv, when set, replaces os.Getenv for the backend variables in
	// tests, so that a test can set them without touching the process.
	getenv func(string) string
}

// Provider arguments and their limits.
const (
	minMaxRetries     = 0
	maxMaxRetries     = 10
	minConcurrency    = 1
	maxConcurrency    = 32
	defaultTimeout    = "30s"
	minRequestTimeout = time.Second
)

type providerModel struct {
	ZAPI                  types.Object `tfsdk:"zapi"`
	EnviaAI               types.Object `tfsdk:"enviaai"`
	RequestTimeout        types.String `tfsdk:"request_timeout"`
	MaxRetries            types.Int64  `tfsdk:"max_retries"`
	MaxConcurrentRequests types.Int64  `tfsdk:"max_concurrent_requests"`
}

type zapiModel struct {
	InstanceID   types.String `tfsdk:"instance_id"`
	Token        types.String `tfsdk:"token"`
	ClientToken  types.String `tfsdk:"client_token"`
	PartnerToken types.String `tfsdk:"partner_token"`
	BaseURL      types.String `tfsdk:"base_url"`
}

type enviaAIModel struct {
	APIKey     types.String `tfsdk:"api_key"`
	InstanceID types.String `tfsdk:"instance_id"`
	BaseURL    types.String `tfsdk:"base_url"`
}

func (p *whatsappProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "whatsapp"
	resp.Version = p.version
}

func (p *whatsappProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	credential := func(v credentialValidator) []validator.String { return append(nonEmpty[:1:1], v) }
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the WhatsApp chats and instances of a [Z-API](https://z-api.io) or [EnviaAI](https://enviaai.app) account, and manages an instance's webhooks and settings. " +
			"Configure exactly one backend per provider block; use provider aliases for more instances.",
		Attributes: map[string]schema.Attribute{
			"zapi": schema.SingleNestedAttribute{
				MarkdownDescription: "Use a Z-API instance (its chats, status and settings) or, with `partner_token`, the partner account's instance listing. Each attribute falls back to its environment variable. Conflicts with `enviaai`.",
				Optional:            true,
				Attributes: map[string]schema.Attribute{
					"instance_id": schema.StringAttribute{
						MarkdownDescription: "The Z-API instance ID, from the Z-API panel. It goes into the request path, so it may hold only letters, digits, `-`, `.`, `_` and `~`. Defaults to `ZAPI_INSTANCE_ID`.",
						Optional:            true, Validators: credential(pathCredential),
					},
					"token": schema.StringAttribute{
						MarkdownDescription: "The instance token. Z-API puts it in the request path, so it may hold only letters, digits, `-`, `.`, `_` and `~`; the provider keeps it out of every log line and error. Defaults to `ZAPI_TOKEN`.",
						Optional:            true, Sensitive: true, Validators: credential(pathCredential),
					},
					"client_token": schema.StringAttribute{
						MarkdownDescription: "The account security token, sent as the `Client-Token` header when set. Required by accounts that enabled it in the panel's Security tab. Visible ASCII only. Defaults to `ZAPI_CLIENT_TOKEN`.",
						Optional:            true, Sensitive: true, Validators: credential(headerCredential),
					},
					"partner_token": schema.StringAttribute{
						MarkdownDescription: "The partner account's token, sent as `Authorization: Bearer` to the partner listing that `whatsapp_instances` reads, and to nothing else. " +
							"A `zapi` block may hold only this (with `base_url`): then `whatsapp_instances` works and the data sources that read one instance fail, saying they need `instance_id` and `token`. " +
							"Visible ASCII only. Defaults to `ZAPI_PARTNER_TOKEN`.",
						Optional: true, Sensitive: true, Validators: credential(headerCredential),
					},
					"base_url": schema.StringAttribute{
						MarkdownDescription: "The API root. Must be `https://`, or `http://` to a loopback host (local emulators). Defaults to `ZAPI_BASE_URL`, then `" + client.DefaultZAPIBaseURL + "`.",
						Optional:            true, Validators: []validator.String{baseURLValidator{}},
					},
				},
			},
			"enviaai": schema.SingleNestedAttribute{
				MarkdownDescription: "Use an EnviaAI account: its instances, their chats, settings and webhooks. Each attribute falls back to its environment variable. Conflicts with `zapi`.",
				Optional:            true,
				Validators:          []validator.Object{oneBackendValidator{other: "zapi"}},
				Attributes: map[string]schema.Attribute{
					"api_key": schema.StringAttribute{
						MarkdownDescription: "The API key, sent as `Authorization: Bearer`. Visible ASCII only. Defaults to `ENVIAAI_API_KEY`.",
						Optional:            true, Sensitive: true, Validators: credential(headerCredential),
					},
					"instance_id": schema.StringAttribute{
						MarkdownDescription: "The instance whose chats are read unless a data source names another. Defaults to `ENVIAAI_INSTANCE_ID`.",
						Optional:            true, Validators: nonEmpty,
					},
					"base_url": schema.StringAttribute{
						MarkdownDescription: "The API root. Must be `https://`, or `http://` to a loopback host (local emulators). Defaults to `ENVIAAI_BASE_URL`, then `" + client.DefaultEnviaAIBaseURL + "`.",
						Optional:            true, Validators: []validator.String{baseURLValidator{}},
					},
				},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long one HTTP request may take, from sending it to the last byte of the answer, as a Go duration such as `30s` or `2m`; at least `%s`. Defaults to `%s`.", minRequestTimeout, defaultTimeout),
				Optional:            true,
				Validators:          []validator.String{durationValidator{min: minRequestTimeout}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request that failed with HTTP 429, a 5xx status or a connection error is retried, with backoff. %d to %d; defaults to `%d`.", minMaxRetries, maxMaxRetries, client.DefaultMaxRetries),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(minMaxRetries, maxMaxRetries)},
			},
			"max_concurrent_requests": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many pages of one listing are read at once. %d to %d; defaults to `%d`.", minConcurrency, maxConcurrency, client.DefaultMaxConcurrentRequests),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(minConcurrency, maxConcurrency)},
			},
		},
	}
}

func (p *whatsappProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newChatsDataSource, newChatDataSource, newChatSummaryDataSource, newInstanceDataSource, newInstancesDataSource,
		newWebhooksDataSource, newWebhookDeliveriesDataSource}
}

func (p *whatsappProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newChatsEphemeralResource, newChatEphemeralResource}
}

func (p *whatsappProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newInstanceSettingsResource, newWebhookResource}
}

// providerData is what Configure hands the data sources and the resource.
type providerData struct {
	client  *client.Client
	secrets []string
	// maxStateBytes, when positive, replaces maxStateBytes (tests).
	maxStateBytes int
}

// stateLimit is the largest state a read of this provider returns.
func (d *providerData) stateLimit() int {
	if d.maxStateBytes > 0 {
		return d.maxStateBytes
	}
	return maxStateBytes
}

// withMasks masks the credentials in every log line written under ctx.
func (d *providerData) withMasks(ctx context.Context) context.Context {
	ctx = tflog.MaskLogStrings(ctx, d.secrets...)
	return tflog.MaskFieldValuesWithFieldKeys(ctx, "token", "client_token", "partner_token", "api_key", "Authorization", "Client-Token")
}

// providerDataOf takes the provider's data in the Configure of a data
// source or resource: nil before the provider is configured (validation).
func providerDataOf(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", v))
	}
	return data
}

// operation bounds one operation of a resource by its timeout (timeout is
// one of the timeouts argument's methods: Create, Read, Update, Delete) and
// masks the credentials in every log line written under it.
func operation(ctx context.Context, data *providerData, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	limit, d := timeout(ctx, defaultApplyTimeout)
	diags.Append(d...)
	if data == nil {
		diags.AddError("Provider Not Configured", "The resource was used before the provider was configured. Please report this issue to the provider developers.")
		return ctx, func() {}
	}
	return context.WithTimeout(data.withMasks(ctx), limit)
}

func (p *whatsappProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	httpOpts := p.httpSettings(cfg, req.TerraformVersion, &resp.Diagnostics)
	env := p.env()
	backend, diags := chooseBackend(ctx, cfg, env)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data, diags := backend.connect(ctx, httpOpts, env)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data.maxStateBytes = p.maxStateBytes
	tflog.Debug(data.withMasks(ctx), "Configured WhatsApp provider", map[string]any{"backend": data.client.Backend()})
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
}

// env is where the provider reads the backend variables.
func (p *whatsappProvider) env() environment {
	if p.getenv != nil {
		return p.getenv
	}
	return os.Getenv
}

// httpSettings turns the provider's tuning arguments into client options.
func (p *whatsappProvider) httpSettings(cfg providerModel, terraformVersion string, diags *diag.Diagnostics) client.HTTPOptions {
	opts := client.HTTPOptions{MaxRetries: client.DefaultMaxRetries}
	if p.httpOptions != nil {
		opts = *p.httpOptions
	}
	opts.UserAgent = fmt.Sprintf("terraform-provider-whatsapp/%s Terraform/%s", p.version, terraformVersion)
	opts.Logger = tflogLogger{}
	for _, arg := range []struct {
		name  string
		value attr.Value
	}{{"request_timeout", cfg.RequestTimeout}, {"max_retries", cfg.MaxRetries}, {"max_concurrent_requests", cfg.MaxConcurrentRequests}} {
		if arg.value.IsUnknown() {
			diags.AddAttributeError(path.Root(arg.name), "Unknown Provider Argument",
				fmt.Sprintf("The provider cannot be configured while %s is unknown. Set it to a value known at plan time, or apply the resources it depends on first with -target.", arg.name))
		}
	}
	if d, err := time.ParseDuration(cfg.RequestTimeout.ValueString()); err == nil {
		opts.RequestTimeout = d
	}
	if !cfg.MaxRetries.IsNull() {
		opts.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if !cfg.MaxConcurrentRequests.IsNull() {
		opts.MaxConcurrentRequests = int(cfg.MaxConcurrentRequests.ValueInt64())
	}
	return opts
}

// tflogLogger routes the client's log lines to tflog; the masks set on the
// context by withMasks apply to them.
type tflogLogger struct{}

// tflogMu serializes the client's log calls: the client logs from several
// goroutines under one context, and tflog applies masks by rewriting that
// context's shared field map in place, which is not safe concurrently.
var tflogMu sync.Mutex

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	tflog.Warn(ctx, msg, fields)
}
