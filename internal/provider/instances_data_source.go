package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*instancesDataSource)(nil)

func newInstancesDataSource() datasource.DataSource { return &instancesDataSource{} }

type instancesDataSource struct{ configuredDataSource }

// instancesResults are whatsapp_instances' results.
var instancesResults = newAttributeTable(
	listAttribute("instances", "The instances, in the API's order.", instanceAttributes,
		func(l *client.InstanceList) []client.Instance { return l.Instances }),
	int64Attribute("total", "How many instances match the arguments, beyond `max_results` too: counted when every page was read, else the API's own count. "+
		"Null when the read stopped at `max_results` and the provider filters on its side (`search` on EnviaAI, `status` on Z-API and `qr_pending` on EnviaAI).",
		func(l *client.InstanceList) *int64 { return l.Total }),
)

func (d *instancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instances"
}

func (d *instancesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every instance of the account, every page read. EnviaAI: `GET /v1/instances` with the provider's API key. " +
			"Z-API: the partner listing `GET /instances`, which needs the provider's `zapi.partner_token`. " +
			"Each instance has the attributes of `whatsapp_instance` that the listing gives; the rest are null, unless `details` is set.",
		Attributes: withArguments(instancesResults.schemaAttributes(), map[string]schema.Attribute{
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
			"details": schema.BoolAttribute{
				MarkdownDescription: "Also read each instance the listing returns (after `status`, `search` and `max_results`) in full, as `whatsapp_instance` reads one, " +
					"so that every entry has all of its attributes, `queued_messages` included: one audit over the whole account. The reads run at once, within `max_concurrent_requests`. " +
					"Z-API: `GET .../status`, `GET .../me` and `GET .../queue/count` of each instance, with the token the partner listing returns for it, " +
					"which is used in memory for those requests only and never stored, logged or shown; the partner token alone then audits every instance. " +
					"EnviaAI: `GET /v1/instances/{id}/status` of each, with the provider's API key. " +
					"Cost: the listing's pages plus three requests an instance on Z-API, one on EnviaAI. " +
					"An instance whose read fails (disconnected, gone since the listing, timed out) keeps the attributes the listing gave, has the rest null, " +
					"and one warning names those instances and why; refused credentials and the read's own timeout are errors. Default `false`: the listing alone.",
				Optional: true,
			},
			"timeouts": timeoutsAttribute(ctx),
		}),
	}
}

func (d *instancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var status, search types.String
	var maxResults types.Int64
	var details types.Bool
	var t timeouts.Value
	readCtx, cancel, ok := startRead(ctx, d.data, req.Config, map[string]any{
		"status": &status, "search": &search, "max_results": &maxResults, "details": &details,
	}, &t, "", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	list, err := d.data.client.ListInstances(readCtx, client.InstanceListOptions{
		Status: status.ValueString(), Search: search.ValueString(), MaxResults: int(maxResults.ValueInt64()),
		// Stop reading once the instances could not fit the state.
		MaxBytes: int64(d.data.stateLimit()), SizeOf: instanceStateSize,
		Details: details.ValueBool(),
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
	if len(list.Incomplete) > 0 {
		resp.Diagnostics.Append(incompleteWarning(d.data.client.Backend(), list.Incomplete))
	}
	for i := range list.Instances {
		resp.Diagnostics.Append(skippedWarnings(d.data.client.Backend(), &list.Instances[i])...)
	}
	resp.Diagnostics.Append(setResults(ctx, &resp.State, instancesResults, list)...)
}

// maxNamedInstances is how many instances a detailed listing's warning
// names; it counts the rest.
const maxNamedInstances = 20

// incompleteWarning names the instances of a detailed listing that could
// not be read in full, and why.
func incompleteWarning(backend string, incomplete []client.IncompleteInstance) diag.Diagnostic {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of the listed instances could not be read in full from %s. Each keeps the attributes the listing gave; the others are null.\n", len(incomplete), backend)
	for i, in := range incomplete {
		if i == maxNamedInstances {
			fmt.Fprintf(&b, "\n... and %d more.", len(incomplete)-maxNamedInstances)
			break
		}
		if in.Err != nil {
			fmt.Fprintf(&b, "\n- %q: its read failed: %v.", in.ID, in.Err)
			continue
		}
		for _, part := range in.Unread {
			why := "refused %s because the instance is not connected to WhatsApp"
			if client.KindOf(part.Err) != client.KindNotConnected {
				why = "did not give %s"
			}
			fmt.Fprintf(&b, "\n- %q: %s "+why+": %v. Not read: %s.", in.ID, backend, part.Endpoint, part.Err, strings.Join(part.Attributes, ", "))
		}
	}
	return diag.NewWarningDiagnostic("Instances Partly Read", b.String())
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
