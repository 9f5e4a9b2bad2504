package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The client speaks of HTTP and the two APIs only: the provider words its
// errors for Terraform users. No source file of the package names a
// provider argument, environment variable or Terraform concept; the
// module's own import paths, which name the repository, are no such word.
func TestSourcesSpeakNoTerraform(t *testing.T) {
	words := []string{
		"terraform", "data source", "provider block", "provider configuration", "alias",
		"base_url", "request_timeout", "max_retries", "max_concurrent_requests", "timeouts.read",
		"client_token", "partner_token", "zapi_", "enviaai_",
	}
	const module = "github.com/whatsapp-tf/terraform-provider-whatsapp/"
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	transportFiles, err := filepath.Glob(filepath.Join("transport", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, transportFiles...)
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(strings.ToLower(string(src)), "\n") {
			line = strings.ReplaceAll(line, module, "")
			for _, w := range words {
				if strings.Contains(line, w) {
					t.Errorf("%s:%d names %q: %s", name, i+1, w, strings.TrimSpace(line))
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source file was checked")
	}
}
