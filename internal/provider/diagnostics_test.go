package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

// A data source that runs out of timeouts.read is told how to read less
// only with arguments it has: an argument of another data source or of
// the resource named in its hint is an argument it does not take.
func TestReadNarrowing_NamesOnlyTheDataSourcesArguments(t *testing.T) {
	p := &whatsappProvider{}
	schemas := map[string]map[string]bool{}
	every := map[string]bool{}
	for _, newDS := range p.DataSources(t.Context()) {
		ds := newDS()
		var meta datasource.MetadataResponse
		ds.Metadata(t.Context(), datasource.MetadataRequest{ProviderTypeName: "whatsapp"}, &meta)
		resp, _ := dataSourceSchema(t, ds, nil)
		schemas[meta.TypeName] = map[string]bool{}
		for name := range resp.Schema.Attributes {
			schemas[meta.TypeName][name], every[name] = true, true
		}
	}
	for name := range settingsSchema() {
		every[name] = true
	}
	if len(readNarrowing) == 0 {
		t.Fatal("no narrowing hints")
	}
	for typeName, narrow := range readNarrowing {
		own, ok := schemas[typeName]
		if !ok {
			t.Errorf("%s is not a data source", typeName)
		}
		named := 0
		for _, word := range regexp.MustCompile(`[a-z_]+`).FindAllString(narrow, -1) {
			switch {
			case own[word]:
				named++
			case every[word]:
				t.Errorf("%s's hint %q names %s, which it does not have", typeName, narrow, word)
			}
		}
		if named == 0 {
			t.Errorf("%s's hint %q names none of its arguments", typeName, narrow)
		}
	}
	// The summary's hint says that it has no paging arguments to narrow.
	var diags diag.Diagnostics
	addClientError(&diags, "Unable to Summarize Chats", &readTimeoutError{limit: time.Second, narrow: readNarrowing["whatsapp_chat_summary"]}, types.StringNull())
	if d := diags[0].Detail(); strings.Contains(d, "page") || strings.Contains(d, "max_results") {
		t.Errorf("summary timeout: %q", d)
	}
}

// A missing credential's error says where to set that credential, and
// nothing about the others.
func TestAddClientError_MissingCredential(t *testing.T) {
	for missing, want := range map[client.Credential][]string{
		client.CredentialPartnerToken: {"Set partner_token", "ZAPI_PARTNER_TOKEN"},
		client.CredentialInstance:     {"Set instance_id and token", "ZAPI_INSTANCE_ID and ZAPI_TOKEN"},
		client.CredentialInstanceID:   {"Set instance_id on the data source or resource", "ENVIAAI_INSTANCE_ID"},
	} {
		var diags diag.Diagnostics
		addClientError(&diags, "Unable to Read", &client.CredentialsError{Backend: client.BackendZAPI, Read: "x", Missing: missing}, types.StringNull())
		d := diags[0].Detail()
		for _, w := range want {
			if !strings.Contains(d, w) {
				t.Errorf("%s: %q lacks %q", missing, d, w)
			}
		}
		if strings.Contains(d, "Set them") || missing == client.CredentialPartnerToken && strings.Contains(d, "instance_id") {
			t.Errorf("%s: %q", missing, d)
		}
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
		{"paging", &client.PagingError{Backend: client.BackendZAPI, Page: 2}, []string{"page argument of whatsapp_chats"}, nil},
		{"no chat", &client.ChatNotFoundError{Backend: client.BackendZAPI}, []string{"whatsapp_chats data source"}, nil},
		{"phone shared", &client.AmbiguousPhoneError{Backend: client.BackendZAPI}, []string{"pick one by id"}, nil},
		{"decode", &client.DecodeError{Backend: client.BackendZAPI, Index: -1}, []string{"base_url", "provider developers"}, nil},
		{"z-api missing client token", zapi(400, "null not allowed"), []string{"client_token", "ZAPI_CLIENT_TOKEN"}, []string{"ENVIAAI", "api_key"}},
		{"z-api client token not configured", zapi(400, "your client-token is not configured"), []string{"requires its security token", "ZAPI_CLIENT_TOKEN"}, []string{"refused", "api_key"}},
		{"z-api client token refused", zapi(403, "Client-Token F1 not allowed"), []string{"Security tab"}, []string{"ENVIAAI", "api_key"}},
		{"z-api unauthorized", zapi(401, "Unauthorized"), []string{"token (ZAPI_TOKEN)", "ZAPI_INSTANCE_ID"}, []string{"ENVIAAI", "api_key"}},
		{"z-api not connected", zapi(400, "You are not connected."), []string{"not connected yet", "still connecting", "QR code"}, []string{"ENVIAAI"}},
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
		{"enviaai disconnected", envia(409, "instance_disconnected"), []string{"not connected yet", "still connecting", "whatsapp_instance data source"}, []string{"ZAPI", "Check instance_id"}},
		{"enviaai parameters", envia(400, "invalid_parameters"), []string{"Check the arguments"}, []string{"ZAPI", "data source"}},
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
