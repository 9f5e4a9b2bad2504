package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A refused credential is named by its attribute and never repeated.
func TestCredentialValidator_NamesTheAttributeNotTheValue(t *testing.T) {
	for _, tc := range []struct {
		v     credentialValidator
		value string
	}{
		{pathCredential, "../../../v1/messages/SECRETx"},
		{pathCredential, "SECRETx/y"},
		{pathCredential, "SECRETx?y"},
		{pathCredential, ".."},
		{headerCredential, "SECRETx\r\nX-Other: 1"},
		{headerCredential, "SECRETx y"},
		{headerCredential, "SECRETxé"},
	} {
		at := path.Root("zapi").AtName("token")
		resp := &validator.StringResponse{}
		tc.v.ValidateString(t.Context(), validator.StringRequest{Path: at, ConfigValue: types.StringValue(tc.value)}, resp)
		if !resp.Diagnostics.HasError() {
			t.Fatalf("%q was accepted", tc.value)
		}
		d := resp.Diagnostics.Errors()[0]
		if !strings.Contains(d.Detail(), "zapi.token") {
			t.Errorf("%q: the error does not name the attribute: %s", tc.value, d.Detail())
		}
		if strings.Contains(d.Detail(), "SECRET") || strings.Contains(d.Detail(), tc.value) {
			t.Errorf("%q: the error repeats the value: %s", tc.value, d.Detail())
		}
	}
	for _, ok := range []string{"3C4D5E6F7A8B9C0D", "inst-3C4D5E", "tok_SECRET.z9~Q8w7"} {
		for _, v := range []credentialValidator{pathCredential, headerCredential} {
			resp := &validator.StringResponse{}
			v.ValidateString(t.Context(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(ok)}, resp)
			if resp.Diagnostics.HasError() {
				t.Errorf("%q was refused: %v", ok, resp.Diagnostics)
			}
		}
	}
}
