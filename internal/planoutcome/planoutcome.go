// Package planoutcome reads the machine-readable output of `terraform plan
// -json` (or `tofu plan -json`) and names each diagnostic it holds by where
// it arose and what it says, so that a test can require the exact set of
// rules a configuration breaks and that nothing else went wrong.
package planoutcome

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// devOverrides is the CLI's notice that the provider is a local build: it
// says nothing of the configuration.
const devOverrides = "Provider development overrides are in effect"

// Read returns one line per diagnostic in the plan's JSON stream, sorted:
// "<severity> <block>: <summary>", where block is the configuration block
// the diagnostic points into (check.NAME, output.NAME, data.TYPE.NAME), or
// the resource address when it points into none, or "-".
func Read(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Address  string `json:"address"`
				Snippet  *struct {
					Context string `json:"context"`
				} `json:"snippet"`
			} `json:"diagnostic"`
		}
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // the CLI prints a few plain lines around the stream
		}
		if err := json.Unmarshal(line, &msg); err != nil {
			return nil, fmt.Errorf("reading the plan's JSON output: %w", err)
		}
		d := msg.Diagnostic
		if msg.Type != "diagnostic" || d.Summary == devOverrides {
			continue
		}
		where := d.Address
		if d.Snippet != nil && d.Snippet.Context != "" {
			where = block(d.Snippet.Context)
		}
		if where == "" {
			where = "-"
		}
		out = append(out, fmt.Sprintf("%s %s: %s", d.Severity, where, d.Summary))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

var quoted = regexp.MustCompile(`"([^"]*)"`)

// block turns a snippet's context (`check "name"`, `data "type" "name"`)
// into an address (check.name, data.type.name).
func block(context string) string {
	kind, _, _ := strings.Cut(context, " ")
	parts := []string{kind}
	for _, m := range quoted.FindAllStringSubmatch(context, -1) {
		parts = append(parts, m[1])
	}
	return strings.Join(parts, ".")
}
