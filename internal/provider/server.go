package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tfsdklog"
)

// NewServer returns the provider's plugin protocol 6 server factory: the
// framework's server, except that whatsapp_chats reads (the data source and
// the ephemeral resource) skip two of its passes.
//
// After a data source's Read the framework walks every value of the new
// state twice (to turn null collection blocks into empty ones, and to apply
// semantic equality), resolving the schema at each null value's path. With
// 100,000 chats those walks cost more than the whole read and several
// gigabytes of allocations. This provider's schemas have no blocks and no
// types with semantic equality, so both walks change nothing here;
// chatsServer answers the read with readChats' encoded state instead.
// Everything else, the whatsapp_chats validation included, is the
// framework's.
//
// The wrapper can go once a framework release skips both walks for a schema
// that needs neither: hashicorp/terraform-plugin-framework pull request 1315
// ("Skip element semantic-equality walk when no element type implements
// semantic equality", for issue 1314) does so for semantic equality; the
// null-block pass (toproto6's ReifyNullCollectionBlocks) still runs on every
// state.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer { return newServer(&whatsappProvider{version: version}) }
}

func newServer(p *whatsappProvider) tfprotov6.ProviderServer {
	return wrapServer(providerserver.NewProtocol6(p)(), p)
}

// frameworkServer is every interface the framework's protocol 6 server
// implements. chatsServer embeds it, so that it forwards all of them; a
// test fails when the framework's server has a method chatsServer lacks.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// wrapServer puts the fast read path in front of fw, a framework server of
// p (or of a provider wrapping p, in tests).
func wrapServer(fw tfprotov6.ProviderServer, p *whatsappProvider) *chatsServer {
	full, ok := fw.(frameworkServer)
	if !ok {
		panic(fmt.Sprintf("the framework's server %T lacks an interface chatsServer forwards", fw))
	}
	var s datasource.SchemaResponse
	newChatsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &s)
	srv := &chatsServer{frameworkServer: full, provider: p, schema: s.Schema}
	srv.stop, srv.stopAll = context.WithCancel(context.Background())
	return srv
}

type chatsServer struct {
	frameworkServer
	provider *whatsappProvider
	schema   schema.Schema

	// stop ends the fast path's reads on StopProvider, as the framework
	// ends its own.
	mu      sync.Mutex
	stop    context.Context
	stopAll context.CancelFunc
}

func (s *chatsServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	result, diags, ok := s.readChats(ctx, req.TypeName, req.Config, "DataSource Read")
	if !ok {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	return &tfprotov6.ReadDataSourceResponse{State: result, Diagnostics: diags}, nil
}

// OpenEphemeralResource answers ephemeral whatsapp_chats as ReadDataSource
// answers the data source: the same read, the same encoded result.
func (s *chatsServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	result, diags, ok := s.readChats(ctx, req.TypeName, req.Config, "EphemeralResource Open")
	if !ok {
		return s.frameworkServer.OpenEphemeralResource(ctx, req)
	}
	return &tfprotov6.OpenEphemeralResourceResponse{Result: result, Diagnostics: diags}, nil
}

// readChats is the fast path of a whatsapp_chats read, either face; ok is
// false when the framework is to answer instead.
func (s *chatsServer) readChats(ctx context.Context, typeName string, config *tfprotov6.DynamicValue, call string) (*tfprotov6.DynamicValue, []*tfprotov6.Diagnostic, bool) {
	// configured is nil before Configure, after a failed one and when
	// Configure deferred every read: the framework answers those.
	data := s.provider.configured.Load()
	if typeName != "whatsapp_chats" || data == nil || config == nil {
		return nil, nil, false
	}
	raw, err := config.Unmarshal(s.schema.Type().TerraformType(ctx))
	if err != nil {
		// Let the framework report a configuration it cannot read either.
		return nil, nil, false
	}
	ctx, done := s.readContext(ctx)
	defer done()
	tfsdklog.SubsystemTrace(ctx, frameworkLog, "Calling provider defined "+call)
	state, diags := readChats(ctx, data, tfsdk.Config{Schema: s.schema, Raw: raw})
	tfsdklog.SubsystemTrace(ctx, frameworkLog, "Called provider defined "+call)
	if diags.HasError() {
		return nil, protoDiagnostics(diags), true
	}
	return &tfprotov6.DynamicValue{MsgPack: state}, protoDiagnostics(diags), true
}

// frameworkLog is the framework's log subsystem (TF_LOG_SDK_FRAMEWORK).
const frameworkLog = "framework"

// readContext is the context the framework gives a read: its log subsystem
// set up as the framework sets it up for every request (but for the
// location offset of its logging helpers, which this file does not use),
// and canceled by StopProvider.
func (s *chatsServer) readContext(ctx context.Context) (context.Context, func()) {
	s.mu.Lock()
	stop := s.stop
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	unregister := context.AfterFunc(stop, cancel)
	ctx = tfsdklog.NewSubsystem(ctx, frameworkLog,
		tfsdklog.WithLevelFromEnv("TF_LOG_SDK_FRAMEWORK"),
		tfsdklog.WithRootFields(),
	)
	return ctx, func() { unregister(); cancel() }
}

// StopProvider ends the reads in progress, the fast path's and the
// framework's.
func (s *chatsServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.mu.Lock()
	s.stopAll()
	s.stop, s.stopAll = context.WithCancel(context.Background())
	s.mu.Unlock()
	return s.frameworkServer.StopProvider(ctx, req)
}

// protoDiagnostics converts diagnostics to the protocol's, keeping the
// attribute each names.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

func attributePath(p path.Path) *tftypes.AttributePath {
	tp := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			tp = tp.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			tp = tp.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			tp = tp.WithElementKeyString(string(s))
		default:
			return nil // a set element: report on the data source as a whole
		}
	}
	return tp
}
