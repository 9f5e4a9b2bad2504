package provider

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tfsdklogtest"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// The provider server has every method of the framework's, so that a list
// resource, an action or a state store the framework serves is not
// answered "unimplemented" by the wrapper in front of it.
func TestServer_ForwardsEveryFrameworkMethod(t *testing.T) {
	server := newServer(&whatsappProvider{version: "test"})
	if _, ok := server.(encodedResultServer); !ok {
		t.Fatalf("the provider server is %T: the framework's server lacks an interface encodedResultServer forwards", server)
	}
	framework := reflect.TypeOf(providerserver.NewProtocol6(&whatsappProvider{version: "test"})())
	ours := reflect.TypeOf(server)
	if framework.NumMethod() < 30 {
		t.Fatalf("the framework's server %s has %d methods; the test no longer sees them", framework, framework.NumMethod())
	}
	for i := range framework.NumMethod() {
		want := framework.Method(i)
		got, ok := ours.MethodByName(want.Name)
		if !ok {
			t.Errorf("the provider server lacks %s, which the framework's server has", want.Name)
			continue
		}
		// Compare the signatures without their receivers.
		if got.Type.NumIn() != want.Type.NumIn() || got.Type.NumOut() != want.Type.NumOut() {
			t.Errorf("%s: got %s, want %s", want.Name, got.Type, want.Type)
			continue
		}
		for j := 1; j < want.Type.NumIn(); j++ {
			if got.Type.In(j) != want.Type.In(j) {
				t.Errorf("%s: argument %d is %s, want %s", want.Name, j, got.Type.In(j), want.Type.In(j))
			}
		}
		for j := range want.Type.NumOut() {
			if got.Type.Out(j) != want.Type.Out(j) {
				t.Errorf("%s: result %d is %s, want %s", want.Name, j, got.Type.Out(j), want.Type.Out(j))
			}
		}
	}
}

// The premise of the fast path. The whatsapp_chats data source and
// ephemeral resource answer with a result readChats encoded as msgpack,
// which the framework never sees; the framework's own passes over a new
// state or result therefore do not run on it. Skipping them changes nothing
// only while:
//   - neither schema has a block: the framework turns a null list or set
//     block into an empty one (ReifyNullCollectionBlocks, on every state
//     and ephemeral result it encodes);
//   - no attribute's type, nor any element or attribute type within it, has
//     values with semantic equality: after a data source's Read the
//     framework puts the configured value back where the new one is
//     semantically equal to it (SchemaSemanticEquality).
//
// The fast path also assumes that readChats' encoding is a value of the
// schema's type that keeps every configured argument as configured, as the
// framework's state would; TestChatsDataSource_ServerFastPathMatchesFramework
// checks that by comparing both paths' answers.
func TestChatsDataSource_ServerFastPathPremise(t *testing.T) {
	ctx := t.Context()
	var ds datasource.SchemaResponse
	newChatsDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	var er ephemeral.SchemaResponse
	newChatsEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &er)
	for _, tc := range []struct {
		face   string
		blocks []string
		types  map[string]attr.Type
	}{
		{"data source", slices.Collect(maps.Keys(ds.Schema.Blocks)), attributeTypes(ds.Schema.Attributes)},
		{"ephemeral resource", slices.Collect(maps.Keys(er.Schema.Blocks)), attributeTypes(er.Schema.Attributes)},
	} {
		for _, name := range tc.blocks {
			t.Errorf("the whatsapp_chats %s has the block %q; the fast path writes no empty block for a null one", tc.face, name)
		}
		if len(tc.types) < 10 {
			t.Fatalf("the whatsapp_chats %s has %d attributes; the test no longer sees them", tc.face, len(tc.types))
		}
		for _, name := range slices.Sorted(maps.Keys(tc.types)) {
			for _, at := range semanticEqualityTypes(ctx, name, tc.types[name]) {
				t.Errorf("the whatsapp_chats %s's attribute %s has semantic equality; the fast path skips the framework's pass that applies it", tc.face, at)
			}
		}
	}
}

// attributeTypes are the types of a schema's attributes, by name.
func attributeTypes[A interface{ GetType() attr.Type }](attrs map[string]A) map[string]attr.Type {
	out := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		out[name] = a.GetType()
	}
	return out
}

// semanticEqualityTypes names the types within typ, at path, whose values
// have semantic equality: typ itself, its elements, its attributes.
func semanticEqualityTypes(ctx context.Context, path string, typ attr.Type) []string {
	var found []string
	switch typ.ValueType(ctx).(type) {
	case basetypes.BoolValuableWithSemanticEquals, basetypes.DynamicValuableWithSemanticEquals,
		basetypes.Float32ValuableWithSemanticEquals, basetypes.Float64ValuableWithSemanticEquals,
		basetypes.Int32ValuableWithSemanticEquals, basetypes.Int64ValuableWithSemanticEquals,
		basetypes.NumberValuableWithSemanticEquals, basetypes.StringValuableWithSemanticEquals,
		basetypes.ListValuableWithSemanticEquals, basetypes.MapValuableWithSemanticEquals,
		basetypes.ObjectValuableWithSemanticEquals, basetypes.SetValuableWithSemanticEquals:
		found = append(found, fmt.Sprintf("%s (%T)", path, typ))
	}
	switch typ := typ.(type) {
	case attr.TypeWithElementType:
		found = append(found, semanticEqualityTypes(ctx, path+"[*]", typ.ElementType())...)
	case attr.TypeWithElementTypes:
		for i, et := range typ.ElementTypes() {
			found = append(found, semanticEqualityTypes(ctx, fmt.Sprintf("%s[%d]", path, i), et)...)
		}
	case attr.TypeWithAttributeTypes:
		attrs := typ.AttributeTypes()
		for _, name := range slices.Sorted(maps.Keys(attrs)) {
			found = append(found, semanticEqualityTypes(ctx, path+"."+name, attrs[name])...)
		}
	}
	return found
}

// The provider server answers whatsapp_chats reads, of the data source and
// of the ephemeral resource, with the result readChats encoded; a server
// built straight from the framework's must give the same answer: the same
// state, or the same errors on the same attributes.
func TestChatsDataSource_ServerFastPathMatchesFramework(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, tc := range []struct {
		name    string
		backend string
		args    map[string]tftypes.Value
		faults  emulator.Faults
		chats   int // the chats read; 0 for an error
	}{
		{name: "zapi every chat", backend: "zapi", chats: 250},
		{name: "enviaai every chat", backend: "enviaai", chats: 250},
		{name: "zapi instance_id refused", backend: "zapi", args: map[string]tftypes.Value{"instance_id": str("inst_support")}},
		{name: "enviaai unknown instance", backend: "enviaai", args: map[string]tftypes.Value{"instance_id": str("inst_missing")}},
		{name: "zapi broken answer", backend: "zapi", faults: emulator.Faults{Malformed: "truncated"}},
		{name: "enviaai broken answer", backend: "enviaai", faults: emulator.Faults{Malformed: "truncated"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resps [2]*tfprotov6.ReadDataSourceResponse
			for i, server := range []tfprotov6.ProviderServer{
				newServer(&whatsappProvider{version: "test"}),
				providerserver.NewProtocol6(&whatsappProvider{version: "test"})(),
			} {
				srv := emulatortest.Start(t, emulator.Options{Chats: 250})
				srv.Inject(emulatortest.Fault{Faults: tc.faults})
				configureServer(t, server, tc.backend, srv.URL, nil)
				resp, err := server.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{TypeName: "whatsapp_chats", Config: chatsConfig(t, server, tc.args)})
				if err != nil {
					t.Fatal(err)
				}
				resps[i] = resp
				// The ephemeral resource of the same name gives the same
				// answer as its data source, on either path.
				open, err := server.OpenEphemeralResource(t.Context(), &tfprotov6.OpenEphemeralResourceRequest{TypeName: "whatsapp_chats", Config: chatsConfig(t, server, tc.args)})
				if err != nil {
					t.Fatal(err)
				}
				compareDiagnostics(t, open.Diagnostics, resp.Diagnostics)
				if tc.chats != 0 {
					compareStates(t, open.Result, resp.State)
				}
			}
			fast, framework := resps[0], resps[1]
			compareDiagnostics(t, fast.Diagnostics, framework.Diagnostics)
			if tc.chats == 0 {
				if len(framework.Diagnostics) == 0 {
					t.Errorf("want an error; got none")
				}
				return
			}
			states := compareStates(t, fast.State, framework.State)
			var attrs map[string]tftypes.Value
			var chats []tftypes.Value
			_ = states.As(&attrs)
			_ = attrs["chats"].As(&chats)
			if len(chats) != tc.chats {
				t.Errorf("read %d chats, want %d", len(chats), tc.chats)
			}
		})
	}
}

// Through the framework's own read, whatsapp_chats stores its encoded result
// in the slot of the read's context and leaves the configuration as the
// state the framework encodes; the provider server answers with the slot's.
func TestChatsDataSource_ServerAnswersWithTheEncodedResult(t *testing.T) {
	chatsOf := func(t *testing.T, dv *tfprotov6.DynamicValue) tftypes.Value {
		t.Helper()
		v, err := dv.Unmarshal(chatsType(t))
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		_ = v.As(&attrs)
		return attrs["chats"]
	}
	for _, face := range []string{"data source", "ephemeral resource"} {
		t.Run(face, func(t *testing.T) {
			read := func(ctx context.Context, server tfprotov6.ProviderServer, config *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
				t.Helper()
				if face == "data source" {
					resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "whatsapp_chats", Config: config})
					if err != nil || len(resp.Diagnostics) > 0 {
						t.Fatalf("read: %v %v", err, resp.Diagnostics)
					}
					return resp.State
				}
				resp, err := server.OpenEphemeralResource(ctx, &tfprotov6.OpenEphemeralResourceRequest{TypeName: "whatsapp_chats", Config: config})
				if err != nil || len(resp.Diagnostics) > 0 {
					t.Fatalf("open: %v %v", err, resp.Diagnostics)
				}
				return resp.Result
			}
			framework, config := configuredServer(t, providerserver.NewProtocol6(&whatsappProvider{version: "test"})(), "zapi", 5)
			slot := &encodedResult{}
			placeholder := read(context.WithValue(t.Context(), encodedResultKey{}, slot), framework, config)
			if slot.msgpack == nil {
				t.Fatal("the read stored no encoded result in the slot of its context")
			}
			if chats := chatsOf(t, placeholder); !chats.IsNull() {
				t.Errorf("the framework encoded the chats %v; want the configuration, chats null", chats)
			}
			var chats []tftypes.Value
			_ = chatsOf(t, &tfprotov6.DynamicValue{MsgPack: slot.msgpack}).As(&chats)
			if len(chats) != 5 {
				t.Errorf("the slot holds %d chats, want 5", len(chats))
			}

			server, config := configuredServer(t, newServer(&whatsappProvider{version: "test"}), "zapi", 5)
			_ = chatsOf(t, read(t.Context(), server, config)).As(&chats)
			if len(chats) != 5 {
				t.Errorf("the provider server answered with %d chats, want 5", len(chats))
			}
		})
	}
}

func compareDiagnostics(t *testing.T, got, want []*tfprotov6.Diagnostic) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("the fast path gives %d diagnostics %v, the framework %d %v", len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Severity != w.Severity || g.Summary != w.Summary || g.Detail != w.Detail {
			t.Errorf("diagnostic %d: fast path %v %q %q, framework %v %q %q", i, g.Severity, g.Summary, g.Detail, w.Severity, w.Summary, w.Detail)
		}
		if (g.Attribute == nil) != (w.Attribute == nil) || (g.Attribute != nil && !g.Attribute.Equal(w.Attribute)) {
			t.Errorf("diagnostic %d: fast path on %v, framework on %v", i, g.Attribute, w.Attribute)
		}
	}
}

// compareStates fails unless both states hold the same value, and returns it.
func compareStates(t *testing.T, got, want *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("fast path state %v, framework state %v; want both", got, want)
	}
	typ := chatsType(t)
	g, err := got.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	w, err := want.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Equal(w) {
		diffs, _ := g.Diff(w)
		t.Errorf("the fast path's state differs from the framework's in %d values, e.g. %v", len(diffs), diffs[:min(len(diffs), 3)])
	}
	return g
}

func chatsType(t *testing.T) tftypes.Type {
	resp, _ := dataSourceSchema(t, newChatsDataSource(), nil)
	return resp.Schema.Type().TerraformType(t.Context())
}

// deferringProvider defers every read, as a provider configured with
// unknown values may.
type deferringProvider struct{ *whatsappProvider }

func (p deferringProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
	p.whatsappProvider.Configure(ctx, req, resp)
}

// When Configure defers, the framework answers every read with a deferral;
// the fast path must not read instead.
func TestChatsDataSource_ServerFastPathKeepsDeferral(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{Chats: 5})
	var resps [2]*tfprotov6.ReadDataSourceResponse
	for i, server := range []func(p *whatsappProvider) tfprotov6.ProviderServer{
		func(p *whatsappProvider) tfprotov6.ProviderServer {
			return wrapServer(providerserver.NewProtocol6(deferringProvider{p})())
		},
		func(p *whatsappProvider) tfprotov6.ProviderServer {
			return providerserver.NewProtocol6(deferringProvider{p})()
		},
	} {
		server := server(&whatsappProvider{version: "test"})
		configureServer(t, server, "zapi", srv.URL, &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: true})
		resp, err := server.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{
			TypeName: "whatsapp_chats", Config: chatsConfig(t, server, nil),
			ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		resps[i] = resp
	}
	fast, framework := resps[0], resps[1]
	if framework.Deferred == nil || fast.Deferred == nil || fast.Deferred.Reason != framework.Deferred.Reason {
		t.Fatalf("fast path deferred %v, framework %v; want the same deferral", fast.Deferred, framework.Deferred)
	}
	compareDiagnostics(t, fast.Diagnostics, framework.Diagnostics)
	compareStates(t, fast.State, framework.State)
	if n := len(srv.Received()); n != 0 {
		t.Errorf("a deferred read sent %d requests", n)
	}
}

// StopProvider ends a fast-path read in progress, as it ends the
// framework's.
func TestChatsDataSource_ServerFastPathStops(t *testing.T) {
	srv := emulatortest.Start(t, emulator.Options{Chats: 5})
	arrived := make(chan struct{}, 1)
	srv.Inject(emulatortest.Fault{Conn: func(http.ResponseWriter, *http.Request, int64) bool {
		select {
		case arrived <- struct{}{}:
		default:
		}
		return false
	}, Faults: emulator.Faults{Hang: true}})
	// A request that is not stopped fails only after a minute, and then
	// with another error than the one the test wants.
	server := newServer(&whatsappProvider{version: "test", httpOptions: &client.HTTPOptions{RequestTimeout: time.Minute}})
	configureServer(t, server, "zapi", srv.URL, nil)
	config := chatsConfig(t, server, nil)
	done := make(chan *tfprotov6.ReadDataSourceResponse)
	go func() {
		resp, _ := server.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{TypeName: "whatsapp_chats", Config: config})
		done <- resp
	}()
	<-arrived
	if _, err := server.StopProvider(t.Context(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	resp := <-done
	if resp == nil || len(resp.Diagnostics) != 1 {
		t.Fatalf("got %+v, want one error", resp)
	}
	if d := resp.Diagnostics[0]; d.Severity != tfprotov6.DiagnosticSeverityError || !strings.Contains(d.Detail, "context canceled") {
		t.Errorf("got %v %q, want an error that says the read was canceled", d.Severity, d.Detail)
	}
}

// The fast path logs under the framework's log subsystem, as the framework
// does around a data source's Read.
func TestChatsDataSource_ServerFastPathLogsAsFramework(t *testing.T) {
	for i, server := range []tfprotov6.ProviderServer{
		newServer(&whatsappProvider{version: "test"}),
		providerserver.NewProtocol6(&whatsappProvider{version: "test"})(),
	} {
		server, config := configuredServer(t, server, "zapi", 5)
		var out bytes.Buffer
		ctx := tfsdklogtest.RootLogger(t.Context(), &out)
		if _, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "whatsapp_chats", Config: config}); err != nil {
			t.Fatal(err)
		}
		entries, err := tfsdklogtest.MultilineJSONDecode(&out)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			if e["@module"] == "sdk.framework" {
				got = append(got, e["@message"].(string))
			}
		}
		for _, want := range []string{"Calling provider defined DataSource Read", "Called provider defined DataSource Read"} {
			if !slices.Contains(got, want) {
				t.Errorf("server %d: the framework's log subsystem has %q, want %q among them", i, got, want)
			}
		}
	}
}
