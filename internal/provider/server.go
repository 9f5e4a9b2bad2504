package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewServer returns the provider's plugin protocol 6 server factory: the
// framework's server, except that whatsapp_chats reads skip two of its
// passes.
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
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer { return newServer(&whatsappProvider{version: version}) }
}

func newServer(p *whatsappProvider) tfprotov6.ProviderServer {
	var s datasource.SchemaResponse
	newChatsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &s)
	return &chatsServer{ProviderServer: providerserver.NewProtocol6(p)(), provider: p, schema: s.Schema}
}

type chatsServer struct {
	tfprotov6.ProviderServer
	provider *whatsappProvider
	schema   schema.Schema
}

func (s *chatsServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	data := s.provider.configured.Load()
	if req.TypeName != "whatsapp_chats" || data == nil || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	raw, err := req.Config.Unmarshal(s.schema.Type().TerraformType(ctx))
	if err != nil {
		// Let the framework report a configuration it cannot read either.
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	state, diags := readChats(ctx, data, tfsdk.Config{Schema: s.schema, Raw: raw})
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
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
