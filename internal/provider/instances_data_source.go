package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*instancesDataSource)(nil)

func newInstancesDataSource() datasource.DataSource { return &instancesDataSource{} }

type instancesDataSource struct{ data *providerData }

type instancesDataSourceModel struct {
	Status     types.String   `tfsdk:"status"`
	Search     types.String   `tfsdk:"search"`
	MaxResults types.Int64    `tfsdk:"max_results"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
	Instances  types.List     `tfsdk:"instances"`
	Total      types.Int64    `tfsdk:"total"`
}

func (d *instancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instances"
}

func (d *instancesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every instance of the account, every page read. EnviaAI: `GET /v1/instances` with the provider's API key. " +
			"Z-API: the partner listing `GET /instances`, which needs the provider's `zapi.partner_token`. " +
			"Each instance has the attributes of `whatsapp_instance` that the listing gives; the rest are null.",
		Attributes: map[string]schema.Attribute{
			"status": schema.StringAttribute{
				MarkdownDescription: "Keep instances in this state: `connected`, `disconnected`, `connecting` or `qr_pending`. " +
					"EnviaAI filters on its server, except `qr_pending`, which the provider filters; on Z-API the provider filters on the listing's `whatsappConnected` " +
					"(Z-API has no `connecting` or `qr_pending` instances).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(client.InstanceStatuses...)},
			},
			"search": schema.StringAttribute{
				MarkdownDescription: "Keep instances whose name or id contains this text, ignoring case. Z-API searches on its server (`query`); on EnviaAI the provider does.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_results": schema.Int64Attribute{
				MarkdownDescription: "Return at most this many instances. The read stops once it has them, so `total` is then the API's own count, or null when a filter the provider applies (see `status` and `search`) makes that count differ.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"timeouts": timeoutsAttribute(ctx),
			"instances": schema.ListNestedAttribute{
				MarkdownDescription: "The instances, in the API's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: instanceSchema()},
			},
			"total": schema.Int64Attribute{
				MarkdownDescription: "How many instances match the arguments, beyond `max_results` too: counted when every page was read, else the API's own count. " +
					"Null when the read stopped at `max_results` and the provider filters on its side (`search` on EnviaAI, `status` on Z-API and `qr_pending` on EnviaAI).",
				Computed: true,
			},
		},
	}
}

func (d *instancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, resp)
}

func (d *instancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m instancesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	readCtx, cancel, diags := readContext(ctx, d.data, m.Timeouts, "")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	defer cancel()

	list, err := d.data.client.ListInstances(readCtx, client.InstanceListOptions{
		Status: m.Status.ValueString(), Search: m.Search.ValueString(), MaxResults: int(m.MaxResults.ValueInt64()),
		// Stop reading once the instances could not fit the state.
		MaxBytes: int64(d.data.stateLimit()), SizeOf: instanceStateSize,
	})
	var tooLarge *client.InstancesTooLargeError
	switch {
	case errors.As(err, &tooLarge):
		resp.Diagnostics.AddError("Result Too Large", "The result is too large: "+tooLarge.Error()+". Terraform accepts no answer from a provider over 256 MiB. "+
			"Read fewer instances at once: set max_results, or narrow the list with status or search.")
		return
	case err != nil:
		addClientError(&resp.Diagnostics, "Unable to List Instances", err, types.StringNull())
		return
	}
	objects := make([]attr.Value, len(list.Instances))
	for i := range list.Instances {
		obj, diags := instanceObject(&list.Instances[i])
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(skippedWarnings(d.data.client.Backend(), &list.Instances[i])...)
		objects[i] = obj
	}
	m.Instances, diags = types.ListValue(types.ObjectType{AttrTypes: instanceTypes()}, objects)
	resp.Diagnostics.Append(diags...)
	m.Total = types.Int64PointerValue(list.Total)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// instanceStateSize is how many bytes an instance takes in the state, as
// Terraform's wire form (msgpack) writes it. Neither step can fail for an
// object built from the schema's own types.
func instanceStateSize(in *client.Instance) int {
	obj, _ := instanceObject(in)
	v, err := obj.ToTerraformValue(context.Background())
	if err != nil {
		return 0
	}
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		return 0
	}
	return len(dv.MsgPack)
}
