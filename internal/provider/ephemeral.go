package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// An ephemeralRead is the second face of a data source that reads
// customers' data (whatsapp_chats, whatsapp_chat): the same arguments,
// results, paging, retries, limits and errors, from the same read function,
// but its result never reaches state or a plan file. Terraform (1.10 and
// later) and OpenTofu (1.11 and later) open it during each plan and apply,
// and a condition or check can read it there.
type ephemeralRead struct {
	// face is the data source whose schema and read it shares.
	face func() datasource.DataSource
	// open reads what config asks for into result, which holds the
	// arguments already.
	open func(ctx context.Context, data *providerData, config tfsdk.Config, result *tfsdk.EphemeralResultData) diag.Diagnostics
	data *providerData
}

var _ ephemeral.EphemeralResourceWithConfigure = (*ephemeralRead)(nil)

func newChatsEphemeralResource() ephemeral.EphemeralResource {
	return &ephemeralRead{face: newChatsDataSource, open: openChats}
}

func newChatEphemeralResource() ephemeral.EphemeralResource {
	return &ephemeralRead{face: newChatDataSource, open: openChat}
}

// openChats lists chats as whatsapp_chats does, and hands the encoded
// result to the provider's server as the data source's Read does.
func openChats(ctx context.Context, data *providerData, config tfsdk.Config, result *tfsdk.EphemeralResultData) diag.Diagnostics {
	encoded, diags := readChats(ctx, data, config)
	if diags.HasError() || storeEncodedResult(ctx, encoded) {
		return diags
	}
	raw, err := decodeState(config.Raw.Type(), encoded)
	if err != nil {
		diags.AddError("Unable to Set Result", err.Error()+". Please report this issue to the provider developers.")
		return diags
	}
	result.Raw = raw
	return diags
}

// openChat finds one chat as whatsapp_chat does.
func openChat(ctx context.Context, data *providerData, config tfsdk.Config, result *tfsdk.EphemeralResultData) diag.Diagnostics {
	chat, diags := findChat(ctx, data, config)
	if diags.HasError() {
		return diags
	}
	diags.Append(setResults(ctx, result, chatResults, chat)...)
	return diags
}

func (r *ephemeralRead) Metadata(ctx context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	var m datasource.MetadataResponse
	r.face().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: req.ProviderTypeName}, &m)
	resp.TypeName = m.TypeName
}

func (r *ephemeralRead) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	var s datasource.SchemaResponse
	r.face().Schema(ctx, datasource.SchemaRequest{}, &s)
	resp.Diagnostics.Append(s.Diagnostics...)
	resp.Schema = schema.Schema{
		MarkdownDescription: s.Schema.MarkdownDescription + "\n\nAs an ephemeral resource its result is never written to state or to a plan file: " +
			"conditions, `check` blocks and other ephemeral contexts can read it, so audit rules over chats keep no customer's name, phone or message. " +
			"Needs Terraform 1.10 or OpenTofu 1.11 and later.",
		Attributes: ephemeralAttributes(s.Schema.Attributes),
	}
}

func (r *ephemeralRead) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *ephemeralRead) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	resp.Diagnostics.Append(r.open(ctx, r.data, req.Config, &resp.Result)...)
}

// ephemeralAttributes are a data source's attributes as an ephemeral
// resource's: the same names, types, flags, descriptions, validators and
// custom types.
func ephemeralAttributes(in map[string]dsschema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		out[name] = ephemeralAttribute(a)
	}
	return out
}

func ephemeralAttribute(a dsschema.Attribute) schema.Attribute {
	switch a := a.(type) {
	case dsschema.StringAttribute:
		return schema.StringAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}
	case dsschema.BoolAttribute:
		return schema.BoolAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}
	case dsschema.Int64Attribute:
		return schema.Int64Attribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}
	case dsschema.SingleNestedAttribute:
		return schema.SingleNestedAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators,
			Attributes: ephemeralAttributes(a.Attributes)}
	case dsschema.ListNestedAttribute:
		return schema.ListNestedAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators,
			NestedObject: schema.NestedAttributeObject{CustomType: a.NestedObject.CustomType, Validators: a.NestedObject.Validators,
				Attributes: ephemeralAttributes(a.NestedObject.Attributes)}}
	}
	// A data source that gains another kind of attribute must add it here;
	// the schema tests build every ephemeral schema, so this fails them.
	panic(fmt.Sprintf("no ephemeral form for the data source attribute %T", a))
}
