package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
				resp.Diagnostics.AddAttributeError(at, "Invalid Webhook URL", sentence(err.Error()))
			}
		}
	}
}

// ModifyPlan checks the configuration against the backend before any
// request, keeps the prior value of every argument left unset, plans null
// for the settings the backend lacks, and warns on destroy that only the
// managed webhooks are cleared.
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
	if config.InstanceID.IsNull() {
		plan.InstanceID = types.StringValue(c.SettingsInstance(""))
	}
	resp.Diagnostics.Append(checkSettings(c, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, s := range settingTable {
		switch {
		case !s.value(&config).IsNull():
		case !s.has(c.Backend()):
			s.set(&plan, s.null)
		case prior != nil:
			s.set(&plan, s.value(prior))
		}
	}
	if prior != nil && config.Webhooks.IsNull() {
		managed, diags := managedIn(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if managed.Webhooks != nil {
			plan.Webhooks = types.MapUnknown(types.StringType) // an apply records that they are no longer managed
			resp.Diagnostics.AddAttributeWarning(path.Root("webhooks"), "Webhooks No Longer Managed",
				"webhooks was removed from the configuration: the webhook URLs stay as they are on the instance, and this resource stops managing them, "+
					"so destroying it will not clear them. To clear them, set webhooks = {} instead.")
		}
	}
	plan.ID = plan.InstanceID
	if prior != nil && !plan.InstanceID.IsUnknown() && !plan.InstanceID.Equal(prior.InstanceID) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("instance_id"))
	} else if prior != nil {
		plan.ID = prior.ID
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
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

func destroyWarning(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	managed, diags := managedIn(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	cleared := "no webhook URL, as it manages none"
	if len(managed.Webhooks) > 0 {
		cleared = "the webhook URLs it manages (" + strings.Join(managed.Webhooks, ", ") + ")"
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
			sentence(err.Error())+"\n\nSome settings may already be written. State keeps what it held before this apply (nothing, for a resource being created); run terraform plan to read what the instance holds now, then apply again if a change remains.")
	default:
		addClientError(diags, summary, err, instanceID)
	}
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
