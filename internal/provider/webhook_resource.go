package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*webhookResource)(nil)
	_ resource.ResourceWithImportState = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*webhookResource)(nil)
)

func newWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct{ data *providerData }

// webhookModel is the resource's state. SecretWO is write-only: Terraform
// never stores it, and the provider reads it from the configuration only.
type webhookModel struct {
	ID              types.String   `tfsdk:"id"`
	InstanceID      types.String   `tfsdk:"instance_id"`
	URL             types.String   `tfsdk:"url"`
	Events          types.Set      `tfsdk:"events"`
	Name            types.String   `tfsdk:"name"`
	SecretWO        types.String   `tfsdk:"secret_wo"`
	SecretWOVersion types.Int64    `tfsdk:"secret_wo_version"`
	Status          types.String   `tfsdk:"status"`
	CreatedAt       types.String   `tfsdk:"created_at"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

// importedKey marks, in private state, a webhook imported and not yet
// applied: its first secret_wo_version is recorded without a new secret.
const importedKey = "imported"

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages one of an EnviaAI account's own webhooks (`/v1/webhooks`): its URL, the instance it belongs to, the events it receives and its signing secret. " +
			"Deliveries carry `X-EnviaAI-Signature`, an HMAC of the body with the secret, which the receiving server checks.\n\n" +
			"The secret never reaches state, plan output or logs. Set it with the write-only `secret_wo` (Terraform and OpenTofu 1.11 or later) and rotate it by changing `secret_wo_version`. " +
			"Without `secret_wo`, EnviaAI generates the secret; the provider drops it from every answer, so read it in EnviaAI's panel (the webhook's page), or pass your own.\n\n" +
			"Z-API has no webhooks API: its webhooks are settings of an instance, managed with `whatsapp_instance_settings`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The webhook's id, such as `wh_xyz789`; the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"instance_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The instance the webhook belongs to. Defaults to the provider's `instance_id`. Changing it, or the provider's `instance_id` while this is unset, replaces the webhook.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"url": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Where deliveries go: `https://`, or `http://` to a loopback host (`localhost`, `127.0.0.0/8`, `::1`) for local tests, which EnviaAI itself may refuse. No user name or password in it.",
				Validators:          []validator.String{webhookURLValidator{}},
			},
			"events": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "The events delivered: " + backticked(client.EnviaAIWebhookEvents) + ".",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(client.EnviaAIWebhookEvents...))},
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "A name for the webhook. When unset, the provider leaves the name as it is and reads it into state.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"secret_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				MarkdownDescription: "The signing secret, write-only: sent when the webhook is created and kept nowhere, not in state nor in the plan. " +
					"Needs `secret_wo_version`; a new secret takes effect only when `secret_wo_version` changes. " +
					"Without it, EnviaAI generates a secret, which the provider never stores or shows: read it in EnviaAI's panel.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.AlsoRequires(path.MatchRoot("secret_wo_version"))},
			},
			"secret_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; changing it sends the current `secret_wo`. EnviaAI's reference does not say that an update can change a secret, so a new version replaces the webhook: " +
					"a new one is created with the new secret, then the old one deleted (use `lifecycle { create_before_destroy = true }` for no gap; the id changes). " +
					"After an import, the first version set is recorded without replacing the webhook.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplaceIf(versionChanged,
					"Changing the version replaces the webhook, as a new secret is sent on create.", "Changing the version replaces the webhook, as a new secret is sent on create.")},
			},
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: "The webhook's status as EnviaAI reports it, such as `active`."},
			"created_at": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the webhook was created." + rfc3339,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// versionChanged replaces the webhook when secret_wo_version changes,
// except for the first version set after an import: the imported webhook
// already has the secret the configuration names.
func versionChanged(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
	if req.StateValue.IsNull() && req.Private != nil {
		imported, diags := req.Private.GetKey(ctx, importedKey)
		resp.Diagnostics.Append(diags...)
		if len(imported) > 0 {
			return
		}
	}
	resp.RequiresReplace = true
}

func backticked(words []string) string {
	return "`" + strings.Join(words, "`, `") + "`"
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses Z-API, fills in the provider's instance, and checks
// the webhook as the API would, all before any request.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // a destroy, or a provider not configured yet
	}
	if r.data.client.Backend() != client.BackendEnviaAI {
		resp.Diagnostics.AddError("Webhooks Need EnviaAI", noWebhooksDetail(r.data.client.Backend()))
		return
	}
	var plan webhookModel
	var configInstance types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("instance_id"), &configInstance)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if configInstance.IsNull() {
		def := r.data.client.WebhookInstance("")
		if def == "" {
			resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Missing Instance",
				"The webhook names no instance and the provider has none: set instance_id here, or instance_id in the provider's enviaai block (ENVIAAI_INSTANCE_ID).")
			return
		}
		if !req.State.Raw.IsNull() {
			var prior types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("instance_id"), &prior)...)
			if prior.ValueString() != def {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root("instance_id"))
			}
		}
		plan.InstanceID = types.StringValue(def)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("instance_id"), def)...)
	}
	if plan.URL.IsUnknown() || !knownElements(plan.Events) || plan.InstanceID.IsUnknown() {
		return
	}
	spec := client.WebhookSpec{InstanceID: plan.InstanceID.ValueString(), URL: plan.URL.ValueString(), Events: setStrings(plan.Events)}
	if err := r.data.client.CheckWebhook(spec); err != nil {
		addWebhookError(&resp.Diagnostics, "Invalid Webhook", err)
	}
}

func noWebhooksDetail(backend string) string {
	return backend + " has no webhooks API: its webhooks are settings of an instance. " +
		"Manage them with the whatsapp_instance_settings resource (its webhooks argument), or configure the provider's enviaai block for whatsapp_webhook."
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookModel
	var secret types.String
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret_wo"), &secret)...)
	ctx, cancel := operation(ctx, r.data, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	if s := secret.ValueString(); s != "" {
		ctx = maskSecret(ctx, s)
	}
	spec := client.WebhookSpec{
		InstanceID: plan.InstanceID.ValueString(), URL: plan.URL.ValueString(), Events: setStrings(plan.Events),
		Name: knownString(plan.Name), Secret: secret.ValueString(),
	}
	w, err := r.data.client.CreateWebhook(ctx, spec)
	if w != nil {
		// What the API holds is recorded even when the create is in
		// doubt: Terraform then marks it tainted, and the next apply
		// replaces it rather than leaving it unmanaged.
		resp.Diagnostics.Append(resp.State.Set(ctx, webhookState(w, &plan))...)
	}
	if err != nil {
		addWebhookError(&resp.Diagnostics, "Unable to Create Webhook", err)
	}
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := operation(ctx, r.data, state.Timeouts.Read, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	w, err := r.data.client.ReadWebhook(ctx, state.ID.ValueString())
	if errors.As(err, new(*client.WebhookNotFoundError)) {
		resp.Diagnostics.AddWarning("Webhook Not Found",
			sentence(err.Error())+"\n\nIt was deleted outside Terraform, so it was removed from state; the next apply creates it again.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addWebhookError(&resp.Diagnostics, "Unable to Read Webhook", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, webhookState(w, &state))...)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	ctx, cancel := operation(ctx, r.data, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	var change client.WebhookChange
	if !plan.URL.Equal(prior.URL) {
		change.URL = plan.URL.ValueStringPointer()
	}
	if !plan.Events.Equal(prior.Events) {
		change.Events = setStrings(plan.Events)
	}
	if name := knownString(plan.Name); name != nil && !plan.Name.Equal(prior.Name) {
		change.Name = name
	}
	w, err := r.data.client.UpdateWebhook(ctx, prior.ID.ValueString(), change)
	switch {
	case w != nil:
		// After a write in doubt or not kept too: state holds what the
		// API holds, so the next plan shows what remains to change.
		resp.Diagnostics.Append(resp.State.Set(ctx, webhookState(w, &plan))...)
	case err != nil:
		resp.State.Raw = req.State.Raw
	}
	if err != nil {
		addWebhookError(&resp.Diagnostics, "Unable to Update Webhook", err)
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, nil)...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := operation(ctx, r.data, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.data.client.DeleteWebhook(ctx, state.ID.ValueString()); err != nil {
		addWebhookError(&resp.Diagnostics, "Unable to Delete Webhook", err)
	}
}

// ImportState takes a webhook id; Read fills in the rest.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.data != nil && r.data.client.Backend() != client.BackendEnviaAI {
		resp.Diagnostics.AddError("Webhooks Need EnviaAI", noWebhooksDetail(r.data.client.Backend()))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, []byte(`true`))...)
}

// webhookState is the state of a webhook read from the API, with the
// arguments the API does not hold taken from base (plan or prior state).
func webhookState(w *client.Webhook, base *webhookModel) *webhookModel {
	m := &webhookModel{
		ID:              types.StringValue(w.ID),
		InstanceID:      types.StringPointerValue(w.InstanceID),
		URL:             types.StringPointerValue(w.URL),
		Name:            types.StringPointerValue(w.Name),
		Events:          stringSet(w.Events),
		Status:          types.StringPointerValue(w.Status),
		CreatedAt:       timeValue(w.CreatedAt),
		SecretWO:        types.StringNull(),
		SecretWOVersion: base.SecretWOVersion,
		Timeouts:        base.Timeouts,
	}
	if w.InstanceID == nil {
		m.InstanceID = base.InstanceID // the API did not say; it was created there
	}
	return m
}

// knownElements tells a set whose elements are all known.
func knownElements(s types.Set) bool {
	return !s.IsUnknown() && !slices.ContainsFunc(s.Elements(), attr.Value.IsUnknown)
}

func knownString(s types.String) *string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	return s.ValueStringPointer()
}

// addWebhookError reports a client error on the argument to blame.
func addWebhookError(diags *diag.Diagnostics, summary string, err error) {
	var optErr *client.OptionError
	var notKept *client.SettingNotKeptError
	var noHooks *client.NoWebhooksError
	switch {
	case errors.As(err, &noHooks):
		diags.AddError("Webhooks Need EnviaAI", noWebhooksDetail(noHooks.Backend))
	case errors.As(err, &optErr) && optErr.Option != "id":
		diags.AddAttributeError(path.Root(optErr.Option), summary, fmt.Sprintf("%s %s.", optErr.Option, strings.TrimSuffix(optErr.Reason, ".")))
	case errors.As(err, &notKept):
		diags.AddAttributeError(path.Root(notKept.Setting), summary, sentence(err.Error())+
			"\n\nState records what the API holds, so the next plan shows the change again.")
	case client.KindOf(err) == client.KindOutcomeUnknown:
		diags.AddError(summary, sentence(err.Error())+
			"\n\nWhatever the API could be read to hold is in state; run a plan to see what remains to change before applying again.")
	default:
		addClientError(diags, summary, err, types.StringNull())
	}
}

// maskSecret masks a secret in every log line written under ctx, the
// client's and the framework's.
func maskSecret(ctx context.Context, secret string) context.Context {
	return tflog.MaskLogStrings(ctx, secret)
}

// webhookURLValidator accepts what client.CheckWebhookEndpoint accepts. Its
// errors never repeat the URL: a path or query may hold a token.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "value must be an https:// URL, or http:// to a loopback host, without a user name or password"
}

func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.CheckWebhookEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Webhook URL", fmt.Sprintf("%s %s.", req.Path, err))
	}
}
