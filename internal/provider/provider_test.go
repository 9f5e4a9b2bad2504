package provider

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// factories serve the provider in-process to the Terraform CLI, with short
// retry waits so retry tests stay quick.
func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	p := &whatsappProvider{version: "test", httpOptions: &client.HTTPOptions{
		MaxRetries:   client.DefaultMaxRetries,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 10 * time.Millisecond,
	}}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"whatsapp": providerserver.NewProtocol6WithError(p),
	}
}

// serve starts a fake API that answers every request with handler.
func serve(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}
