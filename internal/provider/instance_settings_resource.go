package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var (
	_ resource.ResourceWithConfigure      = (*instanceSettingsResource)(nil)
	_ resource.ResourceWithImportState    = (*instanceSettingsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*instanceSettingsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*instanceSettingsResource)(nil)
)

func newInstanceSettingsResource() resource.Resource { return &instanceSettingsResource{} }

type instanceSettingsResource struct{ data *providerData }

// defaultApplyTimeout bounds each operation when its timeout is unset.
const defaultApplyTimeout = 20 * time.Minute

func (r *instanceSettingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_settings"
}

func (r *instanceSettingsResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := settingsSchema()
	// An attribute, as on the data sources (timeouts = { create = "5m" }).
	to := timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}).(schema.SingleNestedAttribute)
	to.MarkdownDescription = "Time limits for each operation, an attribute as on the data sources: `timeouts = { create = \"5m\" }`. Each defaults to `20m`."
	attrs["timeouts"] = to
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The identifier of the instance whose settings these are.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	attrs["instance_id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		// A configured instance_id that changes replaces the resource; one
		// left unset is the provider's, set and compared in ModifyPlan.
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(knownChange,
			"A known change replaces the resource.", "A known change replaces the resource.")},
		MarkdownDescription: "The instance whose settings are managed. EnviaAI: any instance of the account; defaults to the provider's `instance_id`. " +
			"Z-API: a provider block writes its own instance only, so leave this unset or set it to the provider's `instance_id`; use a provider alias for another instance. " +
			"EnviaAI: changing it, or the provider's `instance_id` while it is unset, replaces the resource. " +
			"Z-API: a provider block cannot read or write another instance, so to move the resource to another instance remove it from state (`terraform state rm`) and import it under that instance's provider block.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the webhooks and settings of an existing WhatsApp instance; it never creates or deletes an instance. " +
			"It is authoritative for the arguments it sets, and only those: an argument left unset is neither changed nor shown as a change, and its current value is read into state (removing `webhooks` from the configuration shows it as known after apply, and changes nothing). " +
			"Each write is read back, and a value the API did not keep is an error. " +
			"Z-API: one `PUT .../update-*` per setting changed. EnviaAI: one `PATCH /v1/instances/{id}`.\n\n" +
			"Destroying the resource clears the webhook URLs it manages and leaves every other setting as it is; its warning names them. " +
			"After an import, the configuration planned next decides what is managed, as after a create; until that first apply, destroy clears the webhooks in state.",
		Attributes: attrs,
	}
}

func (r *instanceSettingsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// apply writes change to the instance and reads it back; with nothing to
// change it only reads.
func (r *instanceSettingsResource) apply(ctx context.Context, instanceID string, change client.InstanceSettings) (*client.Instance, error) {
	if !change.IsEmpty() {
		return r.data.client.UpdateInstanceSettings(ctx, instanceID, change)
	}
	read, err := r.data.client.ReadInstance(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	if u := unreadSettings(read); u != nil {
		return nil, fmt.Errorf("%s could not be read: %w", u.Endpoint, u.Err)
	}
	return &read.Instance, nil
}

func (r *instanceSettingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config instanceSettingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, cancel := operation(ctx, r.data, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	// Only what differs from the instance is written.
	managed := managedBy(&config)
	current, err := r.apply(ctx, plan.InstanceID.ValueString(), client.InstanceSettings{})
	if err != nil {
		addSettingsError(&resp.Diagnostics, "Unable to Read Instance Settings", err, plan.InstanceID)
		return
	}
	var prior instanceSettingsModel
	readSettings(&prior, current, managed.Webhooks)
	if err := r.write(ctx, &plan, &prior, managed, &resp.State, resp.Private, &resp.Diagnostics); err != nil {
		// No state: the next apply reads the instance again and writes
		// what still differs (state with an error would taint the
		// resource, and its replacement clear the webhooks first).
		addWriteError(&resp.Diagnostics, err, plan.InstanceID,
			"Nothing was recorded in state, as the resource was not created: the next apply reads the instance again and writes only what still differs.")
	}
}

func (r *instanceSettingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior, config instanceSettingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, cancel := operation(ctx, r.data, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	was, diags := managedIn(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior.Webhooks = was.priorForChange(prior.Webhooks, plan.Webhooks)
	managed := managedBy(&config)
	if err := r.write(ctx, &plan, &prior, managed, &resp.State, resp.Private, &resp.Diagnostics); err != nil {
		note := r.recordActual(ctx, &plan, managed.with(was), &resp.State, resp.Private, &resp.Diagnostics)
		if note == "" {
			resp.State.Raw = req.State.Raw
			note = "Reading the instance back failed too, so state keeps what it held before this apply: run terraform plan to read what the instance holds now, then apply again if a change remains."
		}
		addWriteError(&resp.Diagnostics, err, plan.InstanceID, note)
	}
}

// recordActual sets state to what the instance holds after a write that
// failed or whose outcome is unknown: the planned values of what is not a
// setting, every setting read back (the webhooks of managed), so that the
// next plan, refreshed or not, shows what is left to change. It returns a
// note on what state now holds for the error, or "" when the instance
// could not be read and state is left to the caller.
func (r *instanceSettingsResource) recordActual(ctx context.Context, plan *instanceSettingsModel, managed managedSettings,
	state stateSetter, private privateSetter, diags *diag.Diagnostics) string {
	id := plan.InstanceID.ValueString()
	read, err := r.data.client.ReadInstance(ctx, id)
	if err != nil || unreadSettings(read) != nil {
		return ""
	}
	actual := *plan
	readSettings(&actual, &read.Instance, managed.Webhooks)
	actual.ID = types.StringValue(id)
	diags.Append(state.Set(ctx, &actual)...)
	diags.Append(private.SetKey(ctx, managedKey, managed.encode())...)
	return "State now records what the instance holds, read back after the failure, so the next plan shows what is left to change; apply again to finish."
}

// stateSetter is the part of tfsdk.State write uses.
type stateSetter interface {
	Set(ctx context.Context, v any) diag.Diagnostics
}

// privateSetter is the part of the framework's private state write uses.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// write sends the change from prior to plan, then sets state to the plan
// with its unknown values read from the instance. A write that failed, or
// whose outcome is unknown, is returned for the caller to report, with
// state left unset.
func (r *instanceSettingsResource) write(ctx context.Context, plan, prior *instanceSettingsModel, managed managedSettings,
	state stateSetter, private privateSetter, diags *diag.Diagnostics) error {
	id := plan.InstanceID.ValueString()
	in, err := r.apply(ctx, id, settingsChange(plan, prior))
	if err != nil {
		return err
	}
	fresh := *plan
	readSettings(&fresh, in, managed.Webhooks)
	for _, s := range settingTable {
		if s.value(plan).IsUnknown() {
			s.set(plan, s.value(&fresh))
		}
	}
	plan.ID = types.StringValue(id)
	diags.Append(state.Set(ctx, plan)...)
	diags.Append(private.SetKey(ctx, managedKey, managed.encode())...)
	return nil
}

func (r *instanceSettingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, managed, diags := stored(ctx, req.State, req.Private)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := operation(ctx, r.data, state.Timeouts.Read, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	read, err := r.data.client.ReadInstance(ctx, state.InstanceID.ValueString())
	if instanceUnknown(err) {
		resp.Diagnostics.AddWarning("Instance Not Found",
			sentence(err.Error())+fmt.Sprintf("\n\nThe instance %q no longer exists, so its settings were removed from state; the next apply writes them again if the instance comes back.", state.InstanceID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addSettingsError(&resp.Diagnostics, "Unable to Read Instance Settings", err, state.InstanceID)
		return
	}
	if u := unreadSettings(read); u != nil {
		resp.Diagnostics.AddWarning("Instance Settings Not Refreshed",
			fmt.Sprintf("%s refused %s: %v\n\nThe settings it reports could not be read, so state keeps the values last read: a change made outside Terraform will not show until they can be read again.",
				r.data.client.Backend(), u.Endpoint, u.Err))
		return
	}
	readSettings(&state, &read.Instance, managed.Webhooks)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// stored is the resource's state and the settings it manages.
func stored(ctx context.Context, state tfsdk.State, private privateGetter) (instanceSettingsModel, managedSettings, diag.Diagnostics) {
	var m instanceSettingsModel
	diags := state.Get(ctx, &m)
	managed, more := managedIn(ctx, private)
	diags.Append(more...)
	return m, managed, diags
}

// unreadSettings is the first part of a read that refused settings.
func unreadSettings(read *client.InstanceRead) *client.UnreadPart {
	for i, u := range read.Unread {
		for _, a := range u.Attributes {
			if isSetting(a) {
				return &read.Unread[i]
			}
		}
	}
	return nil
}

func isSetting(name string) bool {
	for _, s := range settingTable {
		if s.name == name {
			return true
		}
	}
	return false
}

func (r *instanceSettingsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, managed, diags := stored(ctx, req.State, req.Private)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := operation(ctx, r.data, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	clears := managed.clears(state.Webhooks)
	if resp.Diagnostics.HasError() || len(clears) == 0 {
		return
	}
	// A webhook the refresh before the destroy read as cleared is left
	// alone: after an API refused to clear it and it was cleared in the
	// panel, the destroy succeeds.
	cleared, present := map[string]string{}, stringMap(ctx, state.Webhooks)
	for _, key := range clears {
		if _, set := present[key]; set || state.Webhooks.IsNull() {
			cleared[key] = ""
		}
	}
	if len(cleared) == 0 {
		return
	}
	_, err := r.data.client.UpdateInstanceSettings(ctx, state.InstanceID.ValueString(), client.InstanceSettings{Webhooks: cleared})
	if err != nil && !instanceUnknown(err) {
		addSettingsError(&resp.Diagnostics, "Unable to Clear Webhooks", err, state.InstanceID)
	}
}

// ImportState takes an instance id. Read then fills in every setting, and
// the configuration planned next decides what the resource manages: the
// same as after a create with that configuration (managedSettings.Imported).
func (r *instanceSettingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.data != nil {
		if err := r.data.client.CheckInstanceSettings(req.ID, client.InstanceSettings{}); err != nil {
			reason := err.Error()
			var optErr *client.OptionError
			if errors.As(err, &optErr) {
				reason = optErr.Reason // not "instance_id: ...": the import id is not an argument
			}
			resp.Diagnostics.AddError("Unable to Import Instance Settings", sentence(reason)+"\n\nThe import id is the instance id.")
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("instance_id"), req.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, managedKey, managedSettings{Imported: true}.encode())...)
}
