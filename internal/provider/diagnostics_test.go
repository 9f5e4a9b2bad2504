package provider

import (
	"fmt"
	"slices"
	"strings"
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
	}, envOf(nil))
	if got, want := paths(diags), []string{"zapi", "enviaai"}; !slices.Equal(got, want) {
		t.Errorf("backend blocks: errors on %v, want %v", got, want)
	}
}

// Each kind of client failure gets advice in the provider's own words,
// naming the arguments and variables of the backend at fault only.
func TestHint_NamesTheArgumentsToCheck(t *testing.T) {
	zapi := func(status int, msg string) error {
		return &client.APIError{Backend: client.BackendZAPI, StatusCode: status, Message: msg}
	}
	envia := func(status int, code string) error {
		return &client.APIError{Backend: client.BackendEnviaAI, StatusCode: status, Code: code}
	}
	for _, tc := range []struct {
		name    string
		err     error
		want    []string
		without []string
	}{
		{"timeout", &client.RequestError{Backend: client.BackendZAPI, Attempts: 2, Timeout: time.Second}, []string{"base_url", "request_timeout"}, nil},
		{"unreachable", &client.RequestError{Backend: client.BackendZAPI, Attempts: 2}, []string{"base_url", "network"}, []string{"request_timeout"}},
		{"paging", &client.PagingError{Backend: client.BackendZAPI, Page: 2}, []string{"page argument"}, nil},
		{"no chat", &client.ChatNotFoundError{Backend: client.BackendZAPI}, []string{"whatsapp_chats data source"}, nil},
		{"phone shared", &client.AmbiguousPhoneError{Backend: client.BackendZAPI}, []string{"pick one by id"}, nil},
		{"decode", &client.DecodeError{Backend: client.BackendZAPI, Index: -1}, []string{"base_url", "provider developers"}, nil},
		{"z-api missing client token", zapi(400, "null not allowed"), []string{"client_token", "ZAPI_CLIENT_TOKEN"}, []string{"ENVIAAI", "api_key"}},
		{"z-api client token not configured", zapi(400, "your client-token is not configured"), []string{"requires its security token", "ZAPI_CLIENT_TOKEN"}, []string{"refused", "api_key"}},
		{"z-api client token refused", zapi(403, "Client-Token F1 not allowed"), []string{"Security tab"}, []string{"ENVIAAI", "api_key"}},
		{"z-api unauthorized", zapi(401, "Unauthorized"), []string{"token (ZAPI_TOKEN)", "ZAPI_INSTANCE_ID"}, []string{"ENVIAAI", "api_key"}},
		{"z-api not connected", zapi(400, "You are not connected."), []string{"Reconnect"}, []string{"ENVIAAI"}},
		{"z-api instance not found", zapi(404, "Instance not found"), []string{"instance_id (ZAPI_INSTANCE_ID)"}, []string{"ENVIAAI", "api_key"}},
		{"z-api method", zapi(405, "Method Not Allowed"), []string{"HTTP method", "base_url"}, nil},
		{"z-api media type", zapi(415, ""), []string{"Content-Type"}, nil},
		{"z-api forbidden", zapi(403, ""), []string{"client_token"}, []string{"api_key"}},
		{"redirect", zapi(301, ""), []string{"base_url points at something that redirects", "not followed", "HTTP 301"}, nil},
		{"rate limited", zapi(429, ""), []string{"max_concurrent_requests", "max_retries"}, nil},
		{"server error", zapi(503, ""), []string{"max_retries"}, nil},
		{"not found", zapi(404, ""), []string{"base_url", "instance_id"}, nil},
		{"enviaai key", envia(401, "invalid_api_key"), []string{"api_key (ENVIAAI_API_KEY)"}, []string{"ZAPI", "client_token"}},
		{"enviaai instance", envia(404, "invalid_instance"), []string{"ENVIAAI_INSTANCE_ID"}, []string{"ZAPI", "client_token"}},
		{"enviaai disconnected", envia(400, "instance_disconnected"), []string{"Reconnect"}, []string{"ZAPI"}},
		{"enviaai parameters", envia(400, "invalid_parameters"), []string{"data source arguments"}, []string{"ZAPI"}},
		{"enviaai forbidden", envia(403, ""), []string{"api_key and instance_id"}, []string{"ZAPI", "client_token"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hint(fmt.Errorf("wrapped: %w", tc.err))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("hint %q should hold %q", got, w)
				}
			}
			for _, w := range tc.without {
				if strings.Contains(got, w) {
					t.Errorf("hint %q should not hold %q", got, w)
				}
			}
		})
	}
	// A body over its cap says how large a page's answer may be.
	if got := advice(client.KindTooLarge, nil); !strings.Contains(got, "base_url") || !strings.Contains(got, "64 KiB") {
		t.Errorf("too large: hint %q", got)
	}
	if got := advice(client.KindOutcomeUnknown, nil); !strings.Contains(got, "Read the instance") {
		t.Errorf("outcome unknown: hint %q", got)
	}
}
