// Command terraform-provider-whatsapp serves the WhatsApp provider to
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/provider"
)

// version is set by the release build (goreleaser's ldflags).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// provider.NewServer is the framework's server with a faster
	// whatsapp_chats read; see internal/provider/server.go.
	if err := tf6server.Serve("registry.terraform.io/whatsapp-tf/whatsapp", provider.NewServer(version), opts...); err != nil {
		log.Fatal(err)
	}
}
