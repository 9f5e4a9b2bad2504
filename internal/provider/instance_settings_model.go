package provider

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// instanceSettingsModel is whatsapp_instance_settings' schema as Go values.
type instanceSettingsModel struct {
	ID                types.String   `tfsdk:"id"`
	InstanceID        types.String   `tfsdk:"instance_id"`
	Webhooks          types.Map      `tfsdk:"webhooks"`
	WebhookEvents     types.Set      `tfsdk:"webhook_events"`
	AutoReadMessages  types.Bool     `tfsdk:"auto_read_messages"`
	AutoTyping        types.Bool     `tfsdk:"auto_typing"`
	RejectCalls       types.Bool     `tfsdk:"reject_calls"`
	RejectCallMessage types.String   `tfsdk:"reject_call_message"`
	WebhookSentByMe   types.Bool     `tfsdk:"webhook_sent_by_me"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

// writableWebhooks are the webhook events the resource can set: Z-API's
// (all but initial_data, which it cannot write) and EnviaAI's one.
var writableWebhooks = append(slices.Clone(client.ZAPIWritableWebhooks), "all")

func webhooksSetting() instanceSetting {
	return instanceSetting{
		name: "webhooks",
		schema: schema.MapAttribute{Optional: true, Computed: true, ElementType: types.StringType,
			PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
			MarkdownDescription: "The webhook URL of each event, the same keys as `whatsapp_instance.webhooks`: on Z-API `received`, `delivery`, `message_status`, " +
				"`connected`, `disconnected`, `presence_chat`; on EnviaAI `all`, its one webhook. Each URL must be `https://` (or `http://` to a loopback host). " +
				"The events this map names are managed, the others left alone, whether the resource was created or imported: an event taken out of the map after an apply has its URL cleared; " +
				"while `webhooks` is unset, and after an import, state holds the URL of every event set on the instance, and an event the map then leaves out only leaves state (a warning names it). " +
				"Z-API's `initial_data` webhook has no write endpoint, so it cannot be set here: read it with the `whatsapp_instance` data source."},
		value:   func(m *instanceSettingsModel) attr.Value { return m.Webhooks },
		set:     func(m *instanceSettingsModel, v attr.Value) { m.Webhooks = v.(types.Map) },
		read:    func(in *client.Instance) attr.Value { return webhooksValue(in.Webhooks) },
		unknown: types.MapUnknown(types.StringType), null: types.MapNull(types.StringType),
		write: func(planned, prior attr.Value, s *client.InstanceSettings) {
			p := planned.(types.Map)
			if p.IsNull() || p.IsUnknown() {
				return
			}
			want, had := stringMap(context.Background(), p), map[string]string{}
			if prior != nil {
				had = stringMap(context.Background(), prior.(types.Map))
			}
			change := map[string]string{}
			for key, u := range want {
				if old, ok := had[key]; prior == nil || !ok || old != u {
					change[key] = u
				}
			}
			for key := range had {
				if _, ok := want[key]; !ok {
					change[key] = "" // removed from the map: cleared
				}
			}
			if len(change) > 0 {
				s.Webhooks = change
			}
		},
	}
}

// webhooksValue is the writable webhooks of an instance.
func webhooksValue(hooks map[string]string) types.Map {
	if hooks == nil {
		return types.MapNull(types.StringType)
	}
	elems := map[string]attr.Value{}
	for key, u := range hooks {
		if slices.Contains(writableWebhooks, key) {
			elems[key] = types.StringValue(u)
		}
	}
	return types.MapValueMust(types.StringType, elems)
}

// onlyKeys is m with only the given keys.
func onlyKeys(m types.Map, keys []string) types.Map {
	if m.IsNull() || m.IsUnknown() {
		return m
	}
	elems := maps.Clone(m.Elements())
	maps.DeleteFunc(elems, func(k string, _ attr.Value) bool { return !slices.Contains(keys, k) })
	return types.MapValueMust(types.StringType, elems)
}

// managedSettings are what a configuration manages, kept in the resource's
// private state: Read shows only the webhooks managed, and Delete clears
// them.
type managedSettings struct {
	// Settings are the arguments the configuration sets.
	Settings []string `json:"settings"`
	// Webhooks are the webhook events it sets; nil when it does not set
	// webhooks, and then Read shows every writable one.
	Webhooks []string `json:"webhooks"`
	// Imported marks a resource imported and not applied since: state
	// holds every webhook of the instance, and the configuration planned
	// next decides which of them are managed.
	Imported bool `json:"imported,omitempty"`
}

// clears are the webhook events a destroy clears: those managed, or after
// an import those of state, which every plan since has matched to the
// configuration's (see ModifyPlan).
func (m managedSettings) clears(state types.Map) []string {
	if m.Imported {
		return sortedKeys(state)
	}
	return m.Webhooks
}

// priorForChange is prior's webhooks as a write from them to planned sees
// them: an event that leaves the map is cleared only when it was managed;
// one read (after an import, or while webhooks was unset) only leaves
// state.
func (m managedSettings) priorForChange(prior, planned types.Map) types.Map {
	keep := append(sortedKeys(planned), m.Webhooks...)
	if m.Imported {
		keep = sortedKeys(planned)
	}
	return onlyKeys(prior, keep)
}

const managedKey = "managed"

// managedBy is what config manages.
func managedBy(config *instanceSettingsModel) managedSettings {
	var m managedSettings
	for _, s := range settingTable {
		if !s.value(config).IsNull() {
			m.Settings = append(m.Settings, s.name)
		}
	}
	if !config.Webhooks.IsNull() {
		m.Webhooks = append([]string{}, sortedKeys(config.Webhooks)...)
	}
	return m
}

// with is m and what was managed before: after a failed write, state
// holds the webhooks of both.
func (m managedSettings) with(was managedSettings) managedSettings {
	m.Settings = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(m.Settings), was.Settings...))))
	if m.Webhooks != nil && was.Webhooks != nil {
		m.Webhooks = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(m.Webhooks), was.Webhooks...))))
	}
	return m
}

func (m managedSettings) encode() []byte {
	b, _ := json.Marshal(m) // strings only
	return b
}

// privateGetter is the part of the framework's private state a request has.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// managedIn reads the managed settings from private state; none (and every
// webhook shown) when there are none, as after an import.
func managedIn(ctx context.Context, private privateGetter) (managedSettings, diag.Diagnostics) {
	var m managedSettings
	b, diags := private.GetKey(ctx, managedKey)
	if len(b) > 0 && json.Unmarshal(b, &m) != nil {
		diags.AddError("Unable to Read Private State",
			"The record of which settings this resource manages is not valid JSON. Please report this issue to the provider developers.")
	}
	return m, diags
}

// unmanagedNote names the settings a destroy leaves as they are.
func (m managedSettings) unmanagedNote() string {
	var kept []string
	for _, name := range m.Settings {
		if name != "webhooks" {
			kept = append(kept, name)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return " These keep their current values: " + strings.Join(kept, ", ") + "."
}
