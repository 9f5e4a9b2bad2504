package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*instanceDataSource)(nil)

func newInstanceDataSource() datasource.DataSource { return &instanceDataSource{} }

type instanceDataSource struct{ configuredDataSource }

func (d *instanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (d *instanceDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the state of the configured WhatsApp instance: its link to WhatsApp, its webhooks, its settings, its paid period and its message queue. " +
			"Z-API: `GET .../status`, `GET .../me` and `GET .../queue/count`, read at once. EnviaAI: `GET /v1/instances/{id}/status` and the instance's entry in `GET /v1/instances`. " +
			"A disconnected instance is read as such, not as an error; when one of the endpoints refuses to answer because the instance is not connected " +
			"(or Z-API refuses or fails to give the queue count), the others' attributes are set, the refused ones are null, and a warning names them and why. " +
			"The tokens and QR codes the APIs send back are dropped as they are read: they never reach state, plan output or logs.",
		Attributes: withArguments(instanceSchema(), map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				MarkdownDescription: "EnviaAI only: read another instance of the same account instead of the provider's `instance_id`. An error on Z-API.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"timeouts": timeoutsAttribute(ctx),
		}),
	}
}

func (d *instanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var instanceID types.String
	var t timeouts.Value
	readCtx, cancel, ok := startRead(ctx, d.data, req.Config, map[string]any{"instance_id": &instanceID}, &t, "", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	read, err := d.data.client.ReadInstance(readCtx, instanceID.ValueString())
	if err != nil {
		addClientError(&resp.Diagnostics, "Unable to Read Instance", err, instanceID)
		return
	}
	for _, part := range read.Unread {
		resp.Diagnostics.Append(partialReadWarning(d.data.client.Backend(), part))
	}
	resp.Diagnostics.Append(skippedWarnings(d.data.client.Backend(), &read.Instance)...)
	resp.Diagnostics.Append(setResults(ctx, &resp.State, instanceAttributes, &read.Instance)...)
}

// skippedWarnings name each value of in the API sent in a form the
// provider does not read, and that is null for it.
func skippedWarnings(backend string, in *client.Instance) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, v := range in.Skipped {
		diags.AddWarning("Instance Value Not Read",
			fmt.Sprintf("%s sent %s for %s of instance %q, in a form the provider does not read: the API's reference gives it no format. "+
				"%s is null; the rest of the instance was read. If the value is right, report its form to the provider developers.",
				backend, v.Value, v.Attribute, in.ID, v.Attribute))
	}
	return diags
}

// partialReadWarning names what could not be read of an instance and why.
func partialReadWarning(backend string, part client.UnreadPart) diag.Diagnostic {
	nulls := strings.Join(part.Attributes, ", ")
	var notListed *client.InstanceNotListedError
	if errors.As(part.Err, &notListed) {
		return diag.NewWarningDiagnostic("Instance Partly Read",
			fmt.Sprintf("%v.\n\nThese attributes come from %s and are null: %s. The others were read.", part.Err, part.Endpoint, nulls))
	}
	if client.KindOf(part.Err) != client.KindNotConnected {
		return diag.NewWarningDiagnostic("Instance Partly Read",
			fmt.Sprintf("%s did not give %s: %v.\n\nThese attributes could not be read and are null: %s. The others were read.",
				backend, part.Endpoint, part.Err, nulls))
	}
	return diag.NewWarningDiagnostic("Instance Partly Read",
		fmt.Sprintf("%s refused %s because the instance is not connected to WhatsApp: %v.\n\n"+
			"These attributes could not be read and are null: %s. The others were read. Reconnect the instance in the API's panel (scan the QR code) to read them all.",
			backend, part.Endpoint, part.Err, nulls))
}
