package provider

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// Each client error lands on the argument a user would change, or on the
// data source as a whole when no argument is to blame.
func TestAddClientError_BlamesTheArgument(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		instanceID types.String
		want       string // the attribute path, "" for none
	}{
		{"read timeout", fmt.Errorf("stopped: %w", &readTimeoutError{limit: time.Minute}), types.StringNull(), "timeouts.read"},
		{"chat not found", &client.ChatNotFoundError{Backend: client.BackendZAPI, Phone: "1"}, types.StringNull(), "phone"},
		{"phone shared", &client.AmbiguousPhoneError{Backend: client.BackendZAPI, Phone: "1", IDs: []string{"a", "b"}}, types.StringNull(), "phone"},
		{"option for the other backend", &client.OptionError{Option: "sort_by", Reason: "not here"}, types.StringNull(), "sort_by"},
		{"unknown instance named here", &client.APIError{Backend: client.BackendEnviaAI, StatusCode: 404, Code: "invalid_instance"}, types.StringValue("x"), "instance_id"},
		{"unknown instance of the provider", &client.APIError{Backend: client.BackendEnviaAI, StatusCode: 404, Code: "invalid_instance"}, types.StringNull(), ""},
		{"server error", &client.APIError{Backend: client.BackendZAPI, StatusCode: 500}, types.StringNull(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addClientError(&diags, "Unable to List Chats", tc.err, tc.instanceID)
			if len(diags) != 1 || diags[0].Severity() != diag.SeverityError {
				t.Fatalf("got %v, want one error", diags)
			}
			got := ""
			if d, ok := diags[0].(diag.DiagnosticWithPath); ok {
				got = d.Path().String()
			}
			if got != tc.want {
				t.Errorf("error on %q, want %q", got, tc.want)
			}
		})
	}
}

// The server's own read path keeps the attribute a diagnostic names.
func TestProtoDiagnostics_KeepTheAttribute(t *testing.T) {
	var diags diag.Diagnostics
	diags.AddAttributeError(path.Root("timeouts").AtName("read"), "s", "d")
	diags.AddWarning("w", "d")
	out := protoDiagnostics(diags)
	want := tftypes.NewAttributePath().WithAttributeName("timeouts").WithAttributeName("read")
	if len(out) != 2 || out[0].Attribute == nil || !out[0].Attribute.Equal(want) || out[1].Attribute != nil {
		t.Fatalf("got %+v, want the first on timeouts.read and the warning on none", out)
	}
}

// The tuning arguments reach the client.
func TestHTTPSettings_CarryTheArguments(t *testing.T) {
	p := &whatsappProvider{version: "test"}
	var diags diag.Diagnostics
	opts := p.httpSettings(providerModel{
		RequestTimeout:        types.StringValue("45s"),
		MaxRetries:            types.Int64Value(7),
		MaxConcurrentRequests: types.Int64Value(3),
	}, "1.11.4", &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if opts.RequestTimeout != 45*time.Second || opts.MaxRetries != 7 || opts.MaxConcurrentRequests != 3 {
		t.Errorf("got timeout %s, retries %d, concurrency %d; want 45s, 7, 3", opts.RequestTimeout, opts.MaxRetries, opts.MaxConcurrentRequests)
	}
	if opts.UserAgent != "terraform-provider-whatsapp/test Terraform/1.11.4" {
		t.Errorf("user agent %q", opts.UserAgent)
	}
}

// Unknown provider arguments are reported in the schema's order, the same
// on every run.
func TestUnknownProviderArguments_ComeInOrder(t *testing.T) {
	paths := func(diags diag.Diagnostics) []string {
		var out []string
		for _, d := range diags {
			if withPath, ok := d.(diag.DiagnosticWithPath); ok {
				out = append(out, withPath.Path().String())
			}
		}
		return out
	}
	var diags diag.Diagnostics
	(&whatsappProvider{version: "test"}).httpSettings(providerModel{
		RequestTimeout:        types.StringUnknown(),
		MaxRetries:            types.Int64Unknown(),
		MaxConcurrentRequests: types.Int64Unknown(),
	}, "1.11.4", &diags)
	if got, want := paths(diags), []string{"request_timeout", "max_retries", "max_concurrent_requests"}; !slices.Equal(got, want) {
		t.Errorf("tuning arguments: errors on %v, want %v", got, want)
	}
	_, diags = chooseBackend(t.Context(), providerModel{
		ZAPI:    types.ObjectUnknown(map[string]attr.Type{}),
		EnviaAI: types.ObjectUnknown(map[string]attr.Type{}),
	})
	if got, want := paths(diags), []string{"zapi", "enviaai"}; !slices.Equal(got, want) {
		t.Errorf("backend blocks: errors on %v, want %v", got, want)
	}
}
