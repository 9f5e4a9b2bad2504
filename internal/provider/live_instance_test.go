package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// Live acceptance tests of whatsapp_instance and whatsapp_instances; see
// live_test.go.

// TestLive_InstanceDataSource reads the configured instance and checks its
// types and formats, that it is the instance the provider names, and that
// the attributes of the other backend are null. A disconnected instance is
// read partly, with a warning: that passes too.
func TestLive_InstanceDataSource(t *testing.T) {
	forEachLiveBackend(t, func(t *testing.T, b liveBackend) {
		runLive(t, liveInstanceStep(liveProvider(b), b, os.Getenv(b.instanceID)))
	})
}

func liveInstanceStep(provider string, b liveBackend, instanceID string) resource.TestStep {
	return resource.TestStep{
		Config: provider + "data \"whatsapp_instance\" \"this\" {}\n",
		ConfigStateChecks: []statecheck.StateCheck{
			checkDataSource("data.whatsapp_instance.this", func(v map[string]any) error {
				if v["id"] != instanceID {
					return fmt.Errorf("id is %v, want the configured %s, %q", v["id"], b.instanceID, instanceID)
				}
				return checkInstance(v, b.name)
			}),
		},
	}
}

// TestLive_InstancesDataSource lists every instance of the account (Z-API's
// partner listing needs ZAPI_PARTNER_TOKEN besides) and checks each one, that
// no id repeats, that total counts them all, and that the instance
// whatsapp_instance reads is among them.
func TestLive_InstancesDataSource(t *testing.T) {
	forEachOf(t, liveListingBackends(), func(t *testing.T, b liveBackend) {
		runLive(t, liveInstancesStep(liveProvider(b), b))
	})
}

func liveInstancesStep(provider string, b liveBackend) resource.TestStep {
	return resource.TestStep{
		Config: provider + "data \"whatsapp_instances\" \"all\" {}\n\ndata \"whatsapp_instance\" \"this\" {}\n",
		ConfigStateChecks: []statecheck.StateCheck{
			checkDataSources(func(v map[string]map[string]any) error {
				return checkInstances(v["data.whatsapp_instances.all"], v["data.whatsapp_instance.this"], b.name)
			}, "data.whatsapp_instances.all", "data.whatsapp_instance.this"),
		},
	}
}

// checkInstances checks a whole listing (no max_results) against the
// instance read on its own.
func checkInstances(list, this map[string]any, backend string) error {
	instances, ok := list["instances"].([]any)
	if !ok {
		return fmt.Errorf("instances is %T, want a list", list["instances"])
	}
	total, err := checkCount(list, "total")
	if err != nil {
		return err
	}
	if total == nil || *total != int64(len(instances)) {
		return fmt.Errorf("total is %v, want the %d instances listed (no max_results)", list["total"], len(instances))
	}
	ids := map[string]bool{}
	for i, in := range instances {
		obj, ok := in.(map[string]any)
		if !ok {
			return fmt.Errorf("instances[%d] is %T, want an object", i, in)
		}
		if err := checkInstance(obj, backend); err != nil {
			return fmt.Errorf("instances[%d]: %w", i, err)
		}
		id := obj["id"].(string)
		if ids[id] {
			return fmt.Errorf("instances[%d]: id %q is repeated", i, id)
		}
		ids[id] = true
	}
	if id, _ := this["id"].(string); !ids[id] {
		return fmt.Errorf("whatsapp_instance read %q, which whatsapp_instances does not list", id)
	}
	return nil
}

// checkInstance checks what any instance satisfies: a non-empty id, a
// status the docs name and a connected flag that agrees with it, RFC 3339
// times in UTC, counts that are whole and not negative, a delivery rate
// between 0 and 1, and null for every attribute of the other backend.
func checkInstance(v map[string]any, backend string) error {
	if id, _ := v["id"].(string); id == "" {
		return fmt.Errorf("id is %v, want a non-empty string", v["id"])
	}
	status, _ := v["status"].(string)
	if v["status"] != nil && !slices.Contains(client.InstanceStatuses, status) {
		return fmt.Errorf("status is %v, want one of %s or null", v["status"], strings.Join(client.InstanceStatuses, ", "))
	}
	if connected, ok := v["connected"].(bool); ok && v["status"] != nil && connected != (status == client.StatusConnected) {
		return fmt.Errorf("connected is %t but status is %q", connected, status)
	}
	if err := checkTypes[string](v, "a string", "name", "status_message", "phone", "profile_name", "profile_pic_url", "payment_status", "reject_call_message"); err != nil {
		return err
	}
	if err := checkTypes[bool](v, "a bool", "connected", "phone_connected", "auto_read_messages", "auto_typing", "reject_calls", "webhook_sent_by_me"); err != nil {
		return err
	}
	for _, name := range []string{"created_at", "connected_at", "last_seen_at", "expires_at"} {
		if err := checkTime(v, name); err != nil {
			return err
		}
	}
	if err := checkWebhooks(v["webhooks"]); err != nil {
		return err
	}
	if err := checkObject(v, "stats", func(o map[string]any) error {
		return checkCounts(o, "messages_sent_today", "messages_received_today", "active_chats", "unread_messages")
	}); err != nil {
		return err
	}
	if err := checkObject(v, "health", checkHealth); err != nil {
		return err
	}
	for _, name := range otherBackendAttributes(backend, instanceSchema()) {
		if v[name] != nil {
			return fmt.Errorf("%s is %v, want null: it is not read from %s", name, v[name], backend)
		}
	}
	return nil
}

func checkWebhooks(v any) error {
	if v == nil {
		return nil
	}
	hooks, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("webhooks is %T, want a map or null", v)
	}
	for event, url := range hooks {
		if s, ok := url.(string); !ok || s == "" {
			return fmt.Errorf("webhooks[%q] is %v, want a non-empty string", event, url)
		}
	}
	return nil
}

// checkObject runs check on v[name] when it is an object; null passes.
func checkObject(v map[string]any, name string, check func(map[string]any) error) error {
	if v[name] == nil {
		return nil
	}
	o, ok := v[name].(map[string]any)
	if !ok {
		return fmt.Errorf("%s is %T, want an object or null", name, v[name])
	}
	if err := check(o); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func checkCounts(o map[string]any, names ...string) error {
	for _, name := range names {
		if _, err := checkCount(o, name); err != nil {
			return err
		}
	}
	return nil
}

func checkHealth(o map[string]any) error {
	if err := checkCounts(o, "uptime_seconds", "latency_ms"); err != nil {
		return err
	}
	if r := o["message_delivery_rate"]; r != nil {
		n, ok := r.(json.Number)
		f, err := n.Float64()
		if !ok || err != nil || f < 0 || f > 1 {
			return fmt.Errorf("message_delivery_rate is %v, want a number from 0 to 1 or null", r)
		}
	}
	return nil
}

// otherBackendAttributes are the attributes whose description says they
// come from the other backend only: null on backend.
func otherBackendAttributes(backend string, attrs map[string]schema.Attribute) []string {
	other := enviaAIOnly
	if backend == client.BackendEnviaAI {
		other = zapiOnly
	}
	var names []string
	for name, a := range attrs {
		if strings.Contains(a.GetMarkdownDescription(), other) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
