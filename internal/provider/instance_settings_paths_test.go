package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// A plan-time webhook error is attached to its own key: in a map written
// one key a line, Terraform cites the line of the key to blame, not the
// map's first line or another key's. The keys are written out of the order
// they are checked in, good ones between bad ones.
func TestInstanceSettingsResource_WebhookErrorsCiteTheirKey(t *testing.T) {
	t.Parallel()
	type hook struct{ key, url, err string } // err: what the key's error says; "" for a good key
	for _, tc := range []struct {
		name, provider string
		hooks          []hook
	}{
		// Checked at plan time, against the backend.
		{"Z-API events", "zapi", []hook{
			{"received", "https://hooks.example.com/r", ""},
			{"initial_data", "https://hooks.example.com/i", `Z-API has no write endpoint for the "initial_data" webhook`},
			{"connected", "https://hooks.example.com/c", ""},
			{"everything", "https://hooks.example.com/e", `Z-API has no webhook event "everything"`},
			{"disconnected", "https://hooks.example.com/x", ""},
		}},
		{"EnviaAI events", "enviaai", []hook{
			{"all", "https://hooks.example.com/a", ""},
			{"received", "https://hooks.example.com/r", `EnviaAI has no webhook event "received"`},
		}},
		// Checked when the configuration is validated, before the plan.
		{"Z-API URLs", "zapi", []hook{
			{"received", "https://hooks.example.com/r", ""},
			{"delivery", "http://hooks.example.com/d", `The "delivery" webhook URL uses plain http to a host that is not loopback`},
			{"connected", "https://hooks.example.com/c", ""},
			{"disconnected", "https://u:pw@hooks.example.com/x", `The "disconnected" webhook URL must not hold a user name or password`},
		}},
		{"EnviaAI URL", "enviaai", []hook{
			{"all", "http://hooks.example.com/a", `The "all" webhook URL uses plain http to a host that is not loopback`},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			emu, url := settingsEmulator(t)
			config := zapiProvider(url)
			if tc.provider == "enviaai" {
				config = enviaAIProvider(url)
			}
			config += "resource \"whatsapp_instance_settings\" \"test\" {\n  webhooks = {\n"
			for _, h := range tc.hooks {
				config += fmt.Sprintf("    %-12s = %q\n", h.key, h.url)
			}
			config += "  }\n}\n"
			err := runStep(t, resource.TestStep{Config: config, PlanOnly: true}, true)
			if err == nil {
				t.Fatal("the plan succeeded")
			}
			diags := planErrors(err.Error())
			for _, h := range tc.hooks {
				if h.err == "" {
					continue
				}
				found := false
				for _, d := range diags {
					if !wrapped(h.err).MatchString(d.text) {
						continue
					}
					found = true
					if d.cited != h.key {
						t.Errorf("the error on %s cites the line of %q, want the line of %s:\n%s", h.key, d.cited, h.key, d.text)
					}
				}
				if !found {
					t.Errorf("no error says %q:\n%s", h.err, err)
				}
			}
			if n := emu.Requests(); n != 0 {
				t.Errorf("%d requests were sent", n)
			}
		})
	}
}

// planError is one error diagnostic as Terraform prints it, and the first
// word of the configuration line it cites ("" when it cites none).
type planError struct {
	text, cited string
}

// citedLine finds the line a diagnostic cites and that line as Terraform
// quotes it: "on main.tf line 22, in ...:" then "22:     all = ...".
var citedLine = regexp.MustCompile(`\bon \S+ line (\d+),[^\n]*\n\s*(\d+):[ \t]*(\S*)`)

// planErrors splits Terraform's output into its error diagnostics.
func planErrors(out string) []planError {
	var diags []planError
	for _, text := range strings.Split(out, "Error: ")[1:] {
		d := planError{text: text}
		if m := citedLine.FindStringSubmatch(text); m != nil && m[1] == m[2] {
			d.cited = m[3]
		}
		diags = append(diags, d)
	}
	return diags
}
