// Command plan-outcomes reads `terraform plan -json` (or `tofu plan -json`)
// on standard input and prints one line per diagnostic, sorted:
// "<severity> <block>: <summary>". scripts/audit-demo.sh compares them with
// scripts/audit-outcomes.txt, as the provider's tests do.
package main

import (
	"fmt"
	"os"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/planoutcome"
)

func main() {
	lines, err := planoutcome.Read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "plan-outcomes:", err)
		os.Exit(1)
	}
	for _, l := range lines {
		fmt.Println(l)
	}
}
