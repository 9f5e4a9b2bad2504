package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// An instanceSetting is one row of the settings table: a managed argument of
// whatsapp_instance_settings, the backend that has it, and how its value
// moves between the resource's model, the instance read from the API and
// the write sent to it. The resource's schema, plan, writes and state all
// come from the table, so a setting cannot be in one and not the others.
type instanceSetting struct {
	name string
	// backend is the one backend that has the setting; "" for both.
	backend string
	schema  schema.Attribute
	// value is the setting's value in a model.
	value func(*instanceSettingsModel) attr.Value
	// set stores a value of the setting's type in a model.
	set func(*instanceSettingsModel, attr.Value)
	// read is the value an instance reports; null when the API sent none.
	read func(*client.Instance) attr.Value
	// write adds to s the change from prior to planned; with prior nil,
	// the planned value. Unknown and null planned values write nothing.
	write func(planned, prior attr.Value, s *client.InstanceSettings)
	// unknown and null are the type's unknown and null values.
	unknown, null attr.Value
	// unreported marks a setting the API is not documented to report: a
	// null read keeps the value the model holds (the value written, or the
	// one last known), so it shows no drift, and cannot show any.
	unreported bool
}

// settingTable is every setting, by name. An argument left unset keeps its
// value in state (UseStateForUnknown): the resource is authoritative only
// for the arguments it sets.
var settingTable = []instanceSetting{
	webhooksSetting(),
	{
		name: "webhook_events", backend: client.BackendEnviaAI,
		schema: schema.SetAttribute{Optional: true, Computed: true, ElementType: types.StringType,
			PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			MarkdownDescription: "The events EnviaAI's webhook receives (`webhookEvents`); an empty set sends none. EnviaAI only. " +
				"EnviaAI's reference documents no way to read them back (neither the instance listing nor the write's answer carries them), " +
				"so they are written and trusted: a change made in EnviaAI's panel does not show as drift, and after an import they read as null until set."},
		value:   func(m *instanceSettingsModel) attr.Value { return m.WebhookEvents },
		set:     func(m *instanceSettingsModel, v attr.Value) { m.WebhookEvents = v.(types.Set) },
		read:    func(in *client.Instance) attr.Value { return stringSet(in.WebhookEvents) },
		unknown: types.SetUnknown(types.StringType), null: types.SetNull(types.StringType),
		write: func(planned, prior attr.Value, s *client.InstanceSettings) {
			if changed(planned, prior) {
				s.WebhookEvents = setStrings(planned.(types.Set))
			}
		},
		unreported: true,
	},
	boolSetting("auto_read_messages", "", "Whether received messages are marked read automatically.",
		func(m *instanceSettingsModel) *types.Bool { return &m.AutoReadMessages },
		func(in *client.Instance) *bool { return in.AutoReadMessages }, func(s *client.InstanceSettings) **bool { return &s.AutoReadMessages }),
	boolSetting("auto_typing", client.BackendEnviaAI, "Whether the instance shows itself typing before it answers. EnviaAI only.",
		func(m *instanceSettingsModel) *types.Bool { return &m.AutoTyping },
		func(in *client.Instance) *bool { return in.AutoTyping }, func(s *client.InstanceSettings) **bool { return &s.AutoTyping }),
	boolSetting("reject_calls", client.BackendZAPI, "Whether incoming calls are rejected automatically. Z-API only.",
		func(m *instanceSettingsModel) *types.Bool { return &m.RejectCalls },
		func(in *client.Instance) *bool { return in.RejectCalls }, func(s *client.InstanceSettings) **bool { return &s.RejectCalls }),
	{
		name: "reject_call_message", backend: client.BackendZAPI,
		schema: schema.StringAttribute{Optional: true, Computed: true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			MarkdownDescription: "The message sent to a caller after a call is rejected; Z-API sends it only while `reject_calls` is on. Z-API only."},
		value:   func(m *instanceSettingsModel) attr.Value { return m.RejectCallMessage },
		set:     func(m *instanceSettingsModel, v attr.Value) { m.RejectCallMessage = v.(types.String) },
		read:    func(in *client.Instance) attr.Value { return types.StringPointerValue(in.RejectCallMessage) },
		unknown: types.StringUnknown(), null: types.StringNull(),
		write: func(planned, prior attr.Value, s *client.InstanceSettings) {
			if changed(planned, prior) {
				s.RejectCallMessage = planned.(types.String).ValueStringPointer()
			}
		},
	},
	boolSetting("webhook_sent_by_me", client.BackendZAPI, "Whether the received-message webhook also fires for messages the instance sends (`update-notify-sent-by-me`). Z-API only.",
		func(m *instanceSettingsModel) *types.Bool { return &m.WebhookSentByMe },
		func(in *client.Instance) *bool { return in.WebhookSentByMe }, func(s *client.InstanceSettings) **bool { return &s.WebhookSentByMe }),
}

func boolSetting(name, backend, description string, field func(*instanceSettingsModel) *types.Bool,
	get func(*client.Instance) *bool, put func(*client.InstanceSettings) **bool) instanceSetting {
	return instanceSetting{
		name: name, backend: backend,
		schema: schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: description,
			PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}},
		value:   func(m *instanceSettingsModel) attr.Value { return *field(m) },
		set:     func(m *instanceSettingsModel, v attr.Value) { *field(m) = v.(types.Bool) },
		read:    func(in *client.Instance) attr.Value { return types.BoolPointerValue(get(in)) },
		unknown: types.BoolUnknown(), null: types.BoolNull(),
		write: func(planned, prior attr.Value, s *client.InstanceSettings) {
			if changed(planned, prior) {
				*put(s) = planned.(types.Bool).ValueBoolPointer()
			}
		},
	}
}

// changed tells whether a planned value is to be written: known, set, and
// new or different from prior.
func changed(planned, prior attr.Value) bool {
	return !planned.IsUnknown() && !planned.IsNull() && (prior == nil || !planned.Equal(prior))
}

// settingsSchema is the table's part of the resource's schema.
func settingsSchema() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(settingTable))
	for _, s := range settingTable {
		attrs[s.name] = s.schema
	}
	return attrs
}

// has tells whether backend has the setting.
func (s instanceSetting) has(backend string) bool { return s.backend == "" || s.backend == backend }

// settingsChange is what turns prior into planned.
func settingsChange(planned, prior *instanceSettingsModel) client.InstanceSettings {
	var change client.InstanceSettings
	for _, s := range settingTable {
		var was attr.Value
		if prior != nil {
			was = s.value(prior)
		}
		s.write(s.value(planned), was, &change)
	}
	return change
}

// readSettings sets every setting of m from in. hooks are the webhook
// events m manages; nil reads every event.
func readSettings(m *instanceSettingsModel, in *client.Instance, hooks []string) {
	for _, s := range settingTable {
		v := s.read(in)
		if s.unreported && v.IsNull() {
			if !s.value(m).IsUnknown() {
				continue
			}
			v = s.null
		}
		s.set(m, v)
	}
	if hooks != nil {
		m.Webhooks = onlyKeys(m.Webhooks, hooks)
	}
}

func stringSet(items []string) types.Set {
	if items == nil {
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, 0, len(items))
	for _, item := range slices.Compact(slices.Sorted(slices.Values(items))) {
		elems = append(elems, types.StringValue(item))
	}
	return types.SetValueMust(types.StringType, elems)
}

func setStrings(set types.Set) []string {
	out := []string{}
	for _, v := range set.Elements() {
		out = append(out, v.(types.String).ValueString())
	}
	slices.Sort(out)
	return out
}

// stringMap is a map attribute's known elements as Go strings.
func stringMap(ctx context.Context, m types.Map) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	_ = m.ElementsAs(ctx, &out, false) // the schema makes every element a string; unknown ones were refused at plan
	return out
}

// sortedKeys are a map attribute's keys, in order; nil when it is null or
// unknown.
func sortedKeys(m types.Map) []string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	return slices.Sorted(maps.Keys(m.Elements()))
}
