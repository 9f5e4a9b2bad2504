package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// baseURLValidator accepts https URLs and http to loopback hosts.
type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "value must be an https:// URL, or http:// to a loopback host"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.CheckBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Base URL", "The base URL "+err.Error()+".")
	}
}

// durationValidator accepts Go durations of at least min.
type durationValidator struct{ min time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a duration such as 30s or 2m, at least %s", v.min)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%q is not a duration. Write it as a number and a unit, such as 30s, 90s or 2m.", req.ConfigValue.ValueString()))
	case d < v.min:
		resp.Diagnostics.AddAttributeError(req.Path, "Duration Too Short",
			fmt.Sprintf("%s is shorter than the minimum of %s.", d, v.min))
	}
}
