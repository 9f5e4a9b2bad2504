package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// ValidateConfig refuses what no backend accepts: a webhook URL that is not
// https (or http to a loopback host), or that is empty or null (remove the
// key instead). Checks that depend on the backend are in ModifyPlan.
func (r *instanceSettingsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var hooks types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("webhooks"), &hooks)...)
	if hooks.IsNull() || hooks.IsUnknown() {
		return
	}
	for _, key := range sortedKeys(hooks) {
		v := hooks.Elements()[key].(types.String)
		at := path.Root("webhooks").AtMapKey(key)
		switch {
		case v.IsUnknown():
		case v.IsNull() || v.ValueString() == "":
			resp.Diagnostics.AddAttributeError(at, "Invalid Webhook URL",
				fmt.Sprintf("The %q webhook has no URL. To clear a webhook, remove its key from webhooks.", key))
		default:
			if err := client.CheckWebhookURL(v.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(at, "Invalid Webhook URL", fmt.Sprintf("The %q webhook URL %s.", key, err))
			}
		}
	}
}

// ModifyPlan checks the configuration against the backend before any
// request, plans the provider's instance when instance_id is unset, plans
// null for the settings the backend lacks, and warns on destroy that only
// the managed webhooks are cleared. The schema's plan modifiers have kept
// the prior value of every argument left unset by then.
func (r *instanceSettingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		destroyWarning(ctx, req, resp)
		return
	}
	if r.data == nil {
		return // the provider's configuration is not known yet
	}
	var config, plan instanceSettingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var prior *instanceSettingsModel
	if !req.State.Raw.IsNull() {
		prior = &instanceSettingsModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.client
	var managed managedSettings
	if prior != nil {
		var diags diag.Diagnostics
		managed, diags = managedIn(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
	}
	if config.InstanceID.IsNull() {
		plan.InstanceID = types.StringValue(c.SettingsInstance(""))
		if managed.Imported && !plan.InstanceID.Equal(prior.InstanceID) {
			resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Imported Instance Is Not the Provider's",
				fmt.Sprintf("These settings were imported from the instance %q, but instance_id is unset, so the resource would manage the provider's instance %q instead and plan to replace the imported one. "+
					"Set instance_id = %q in this resource to manage the imported instance.", prior.InstanceID.ValueString(), plan.InstanceID.ValueString(), prior.InstanceID.ValueString()))
			return
		}
	}
	resp.Diagnostics.Append(checkSettings(c, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, s := range settingTable {
		if s.value(&config).IsNull() && !s.has(c.Backend()) {
			s.set(&plan, s.null)
		}
	}
	if prior != nil {
		planOwnership(prior, &config, &plan, managed, &resp.Diagnostics)
	}
	if prior != nil && config.Webhooks.IsNull() {
		if managed.Webhooks != nil {
			plan.Webhooks = types.MapUnknown(types.StringType) // an apply records that they are no longer managed
			resp.Diagnostics.AddAttributeWarning(path.Root("webhooks"), "Webhooks No Longer Managed",
				"webhooks was removed from the configuration: the webhook URLs stay as they are on the instance, and this resource stops managing them, "+
					"so destroying it will not clear them. To clear them, set webhooks = {} instead.")
		}
	}
	switch {
	case prior == nil:
		plan.ID = plan.InstanceID
	case config.InstanceID.IsNull() && !plan.InstanceID.Equal(prior.InstanceID):
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("instance_id"))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// knownChange replaces the resource when instance_id changes to a known
// value; an unknown one is compared once it is known.
func knownChange(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.PlanValue.IsUnknown()
}

// checkSettings runs the client's own checks on each argument set, so that
// every error is reported, on its argument, before any request.
func checkSettings(c *client.Client, config *instanceSettingsModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if config.InstanceID.IsUnknown() {
		return diags
	}
	id := config.InstanceID.ValueString()
	if err := c.CheckInstanceSettings(id, client.InstanceSettings{}); err != nil {
		addSettingsError(&diags, "Invalid Instance Settings", err, config.InstanceID)
		return diags
	}
	for _, s := range settingTable {
		v := s.value(config)
		if v.IsNull() || v.IsUnknown() {
			continue
		}
		if s.name != "webhooks" {
			var one client.InstanceSettings
			s.write(v, nil, &one)
			if err := c.CheckInstanceSettings(id, one); err != nil {
				addSettingsError(&diags, "Invalid Instance Settings", err, config.InstanceID)
			}
			continue
		}
		for _, key := range sortedKeys(config.Webhooks) {
			u := config.Webhooks.Elements()[key].(types.String)
			if u.IsUnknown() || u.IsNull() {
				continue
			}
			if err := c.CheckInstanceSettings(id, client.InstanceSettings{Webhooks: map[string]string{key: u.ValueString()}}); err != nil {
				addSettingsError(&diags, "Invalid Instance Settings", err, config.InstanceID)
			}
		}
	}
	return diags
}

// planOwnership plans what an apply records of the webhooks managed, and
// says which webhooks of state the configuration leaves alone. Until the
// first apply after an import, destroy would clear the webhooks in state:
// a configuration without webhooks gets an apply that records it manages
// none.
func planOwnership(prior, config, plan *instanceSettingsModel, managed managedSettings, diags *diag.Diagnostics) {
	if managed.Imported && config.Webhooks.IsNull() {
		plan.Webhooks = types.MapUnknown(types.StringType)
		diags.AddAttributeWarning(path.Root("webhooks"), "Webhooks Not Managed",
			"webhooks is not set in the configuration, so this resource does not manage the webhook URLs read at import: "+
				"this apply writes none of them and records that destroying the resource leaves them as they are.")
		return
	}
	if config.Webhooks.IsNull() || config.Webhooks.IsUnknown() {
		return
	}
	var left []string
	for _, key := range sortedKeys(prior.Webhooks) {
		if _, named := config.Webhooks.Elements()[key]; !named && (managed.Imported || !slices.Contains(managed.Webhooks, key)) {
			left = append(left, key)
		}
	}
	if len(left) > 0 {
		diags.AddAttributeWarning(path.Root("webhooks"), "Webhooks Left As They Are",
			"The instance has webhook URLs for "+strings.Join(left, ", ")+", which webhooks does not name: this resource does not manage them, "+
				"so the apply leaves them as they are on the instance and only drops them from state. To manage one, add it to webhooks.")
	}
}

func destroyWarning(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	managed, diags := managedIn(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	var state instanceSettingsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	clears := managed.clears(state.Webhooks)
	cleared := "no webhook URL, as it manages none"
	if len(clears) > 0 {
		cleared = "the webhook URLs it manages (" + strings.Join(clears, ", ") + ")"
	}
	resp.Diagnostics.AddWarning("Instance Settings Are Not Reset",
		"Destroying whatsapp_instance_settings clears "+cleared+" and resets nothing else: the instance and its other settings stay as they are."+managed.unmanagedNote())
}

// addSettingsError reports a client error of a settings read or write on
// the argument to blame.
func addSettingsError(diags *diag.Diagnostics, summary string, err error, instanceID types.String) {
	var optErr *client.OptionError
	var notKept *client.SettingNotKeptError
	var unknown *client.OutcomeUnknownError
	var refused *client.ClearRefusedError
	switch {
	case errors.As(err, &optErr) && !settingPath(optErr.Option).Equal(path.Empty()):
		detail := sentence(optErr.Reason)
		if optErr.Kind == client.KindOneInstance {
			detail += " Leave instance_id unset or set it to the provider's, and configure another instance in a second provider block with an alias."
		}
		diags.AddAttributeError(settingPath(optErr.Option), "Invalid Argument for This Backend", detail)
	case errors.As(err, &notKept) && !settingPath(notKept.Setting).Equal(path.Empty()):
		detail := "The API may refuse this value silently, or something else changed it at once. Check the value, then apply again; run terraform plan to see the instance's current settings."
		if notKept.Want == client.NoWebhook {
			detail = "The API took the request to clear the webhook but kept its URL. " + clearInPanel(notKept.Backend)
		}
		diags.AddAttributeError(settingPath(notKept.Setting), "Setting Not Kept", sentence(err.Error())+"\n\n"+detail)
	case errors.As(err, &refused) && !settingPath(refused.Setting).Equal(path.Empty()):
		diags.AddAttributeError(settingPath(refused.Setting), "Webhook Not Cleared",
			sentence(err.Error())+"\n\n"+clearInPanel(refused.Backend)+" State keeps the webhook until a refresh reads it cleared.")
	case errors.As(err, &unknown):
		diags.AddError("Outcome of Settings Write Unknown",
			sentence(err.Error())+"\n\nSome settings may already be written: run terraform plan to read what the instance holds now, then apply again if a change remains.")
	default:
		addClientError(diags, summary, err, instanceID)
	}
}

// addWriteError reports a write that failed or whose outcome is unknown
// on the setting whose write it was, naming the settings written before
// it; note says what state now holds.
func addWriteError(diags *diag.Diagnostics, err error, instanceID types.String, note string) {
	var writeErr *client.WriteError
	var notKept *client.SettingNotKeptError
	if errors.As(err, &notKept) || errors.As(err, new(*client.ClearRefusedError)) || !errors.As(err, &writeErr) {
		addSettingsError(diags, "Unable to Write Instance Settings", err, instanceID)
		return
	}
	summary, detail := "Unable to Write Instance Settings", sentence(err.Error())
	if errors.As(err, new(*client.OutcomeUnknownError)) {
		summary = "Outcome of Settings Write Unknown"
	} else if hint := hint(err); hint != "" {
		detail += "\n\n" + hint
	}
	detail += fmt.Sprintf("\n\nThe write of %s failed", strings.Join(writeErr.Settings, ", "))
	if len(writeErr.Written) == 0 {
		detail += "; no setting was written before it"
	}
	detail += ". " + note
	at := path.Empty()
	if len(writeErr.Settings) == 1 {
		at = settingPath(writeErr.Settings[0])
	}
	if at.Equal(path.Empty()) {
		diags.AddError(summary, detail)
		return
	}
	diags.AddAttributeError(at, summary, detail)
}

// clearInPanel is what to do about a webhook the API will not clear.
func clearInPanel(backend string) string {
	return "Clear the webhook in the " + backend + " panel, then run the apply or destroy again: once a refresh reads it cleared, nothing is left to send for it."
}

// settingPath turns a client setting name (webhooks.received) into its
// attribute path.
func settingPath(name string) path.Path {
	if key, ok := strings.CutPrefix(name, "webhooks."); ok {
		return path.Root("webhooks").AtMapKey(key)
	}
	if isSetting(name) || name == "instance_id" {
		return path.Root(name)
	}
	return path.Empty()
}

// sentence turns a client error fragment into a sentence.
func sentence(fragment string) string {
	if fragment == "" {
		return fragment
	}
	if c := fragment[0]; c >= 'a' && c <= 'z' {
		fragment = string(c-'a'+'A') + fragment[1:]
	}
	return strings.TrimSuffix(fragment, ".") + "."
}
