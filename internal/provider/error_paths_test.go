package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// These tests ask the provider's protocol server directly and check the
// attribute path of each error, which Terraform's text output does not show
// for an attribute inside an object argument (it quotes the enclosing block).

// protoServer is the provider's server with its schemas' value types.
type protoServer struct {
	tfprotov6.ProviderServer
	provider    tftypes.Object
	dataSources map[string]tftypes.Object
}

// newProtoServer is the provider's server, reading the backend variables
// from the process environment.
func newProtoServer(t *testing.T) protoServer {
	t.Helper()
	return protoServerOf(t, &whatsappProvider{version: "test"})
}

// newProtoServerWithEnv is the provider's server, reading the backend
// variables from env alone (see factoriesWithEnv).
func newProtoServerWithEnv(t *testing.T, env map[string]string) protoServer {
	t.Helper()
	return protoServerOf(t, &whatsappProvider{version: "test", getenv: envOf(env)})
}

func protoServerOf(t *testing.T, p *whatsappProvider) protoServer {
	t.Helper()
	s := newServer(p)
	resp, err := s.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("schema: %v %v", err, resp.Diagnostics)
	}
	ps := protoServer{ProviderServer: s, provider: resp.Provider.ValueType().(tftypes.Object), dataSources: map[string]tftypes.Object{}}
	for name, ds := range resp.DataSourceSchemas {
		ps.dataSources[name] = ds.ValueType().(tftypes.Object)
	}
	return ps
}

// objectValue is an object of typ with the given attributes set and every
// other one null. A value of nil for a nested object attribute sets it to
// an object of its own nulls and the nested values in set[name+"."+...].
func objectValue(t *testing.T, typ tftypes.Object, set map[string]any) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, objectOf(typ, set))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func objectOf(typ tftypes.Object, set map[string]any) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		switch v := set[name].(type) {
		case map[string]any:
			attrs[name] = objectOf(at.(tftypes.Object), v)
		case string:
			attrs[name] = tftypes.NewValue(at, v)
		default:
			attrs[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, attrs)
}

// errorPaths are the attribute paths of the error diagnostics, "" for an
// error on no attribute.
func errorPaths(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityError {
			continue
		}
		p := ""
		if d.Attribute != nil {
			p = d.Attribute.String()
		}
		out = append(out, p)
	}
	return out
}

func assertErrorPaths(t *testing.T, diags []*tfprotov6.Diagnostic, want string) {
	t.Helper()
	got := errorPaths(diags)
	if len(got) != 1 || got[0] != want {
		t.Errorf("errors on %q, want one on %q: %v", got, want, diags)
	}
}

// tftypes renders a path as AttributeName("zapi").AttributeName("base_url").
const (
	zapiBaseURLPath    = `AttributeName("zapi").AttributeName("base_url")`
	enviaaiBaseURLPath = `AttributeName("enviaai").AttributeName("base_url")`
	timeoutsReadPath   = `AttributeName("timeouts").AttributeName("read")`
)

func TestErrorPaths_BaseURLInTheConfiguration(t *testing.T) {
	s := newProtoServer(t)
	for _, tc := range []struct {
		name    string
		backend map[string]any
		want    string
	}{
		{"zapi", map[string]any{"instance_id": "i", "token": "t", "base_url": "ftp://example.com"}, zapiBaseURLPath},
		{"zapi", map[string]any{"instance_id": "i", "token": "t", "base_url": "https://"}, zapiBaseURLPath},
		{"enviaai", map[string]any{"api_key": "k", "instance_id": "i", "base_url": "http://example.com"}, enviaaiBaseURLPath},
	} {
		t.Run(tc.name+" "+tc.backend["base_url"].(string), func(t *testing.T) {
			resp, err := s.ValidateProviderConfig(t.Context(), &tfprotov6.ValidateProviderConfigRequest{
				Config: objectValue(t, s.provider, map[string]any{tc.name: tc.backend}),
			})
			if err != nil {
				t.Fatal(err)
			}
			assertErrorPaths(t, resp.Diagnostics, tc.want)
		})
	}
}

func TestErrorPaths_BaseURLFromTheEnvironment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{envZAPIInstanceID: "i", envZAPIToken: "t", envZAPIBaseURL: "http://10.0.0.1"}, zapiBaseURLPath},
		{map[string]string{envEnviaAIAPIKey: "k", envEnviaAIInstanceID: "i", envEnviaAIBaseURL: "file:///etc"}, enviaaiBaseURLPath},
	} {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			s := newProtoServerWithEnv(t, tc.env)
			resp, err := s.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{
				TerraformVersion: "1.11.4",
				Config:           objectValue(t, s.provider, nil),
			})
			if err != nil {
				t.Fatal(err)
			}
			assertErrorPaths(t, resp.Diagnostics, tc.want)
		})
	}
}

func TestErrorPaths_TimeoutsReadValue(t *testing.T) {
	s := newProtoServer(t)
	for _, name := range []string{"whatsapp_chats", "whatsapp_chat"} {
		for _, read := range []string{"0s", "soon"} {
			t.Run(name+" "+read, func(t *testing.T) {
				args := map[string]any{"timeouts": map[string]any{"read": read}}
				if name == "whatsapp_chat" {
					args["phone"] = "5511999999999"
				}
				resp, err := s.ValidateDataResourceConfig(t.Context(), &tfprotov6.ValidateDataResourceConfigRequest{
					TypeName: name, Config: objectValue(t, s.dataSources[name], args),
				})
				if err != nil {
					t.Fatal(err)
				}
				assertErrorPaths(t, resp.Diagnostics, timeoutsReadPath)
			})
		}
	}
}

// A read that runs out of timeouts.read reports it there, through the
// provider's own read path (whatsapp_chats) and the framework's
// (whatsapp_chat).
func TestErrorPaths_ReadTimeout(t *testing.T) {
	t.Parallel()
	hang := make(chan struct{})
	srv := newFake(t, func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	})
	defer close(hang) // before the server closes
	s := newProtoServerWithEnv(t, nil)
	configure, err := s.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config: objectValue(t, s.provider, map[string]any{
			"zapi": map[string]any{"instance_id": "i", "token": "t", "base_url": srv.URL},
		}),
	})
	if err != nil || len(configure.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configure.Diagnostics)
	}
	for _, name := range []string{"whatsapp_chats", "whatsapp_chat"} {
		t.Run(name, func(t *testing.T) {
			args := map[string]any{"timeouts": map[string]any{"read": "1s"}}
			if name == "whatsapp_chat" {
				args["phone"] = "5511999999999"
			}
			resp, err := s.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{
				TypeName: name, Config: objectValue(t, s.dataSources[name], args),
			})
			if err != nil {
				t.Fatal(err)
			}
			assertErrorPaths(t, resp.Diagnostics, timeoutsReadPath)
		})
	}
}
