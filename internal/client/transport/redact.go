package transport

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// newRedactor replaces each secret, as written, as escaped in a URL and as
// escaped in a JSON string (an API may quote what it was sent inside a JSON
// body, which error excerpts show as sent), and says how long the longest
// form it replaces is.
func newRedactor(secrets []string) (*strings.Replacer, int) {
	var pairs []string
	longest := 1
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms := []string{s, url.PathEscape(s), url.QueryEscape(s), (&url.URL{Path: s}).EscapedPath(), pathSegment(s)}
		forms = append(forms, jsonEscapes(s)...)
		for _, form := range forms {
			pairs = append(pairs, form, "REDACTED")
			longest = max(longest, len(form))
		}
	}
	return strings.NewReplacer(pairs...), longest
}

// Redact replaces the transport's credentials in s, in every form a URL or
// a JSON string gives them.
func (t *Transport) Redact(s string) string { return t.secrets.Replace(s) }

// jsonEscapes are the ways JSON encoders write s inside a string: Go's
// (which escapes <, > and & as \u003c and the like), with / escaped as \/
// (as PHP's does), and each with upper-case hex digits.
func jsonEscapes(s string) []string {
	b, _ := json.Marshal(s) // a string always encodes
	goForm := string(b[1 : len(b)-1])
	upper := unicodeEscape.ReplaceAllStringFunc(goForm, strings.ToUpper)
	upper = strings.ReplaceAll(upper, `\U`, `\u`)
	slashed := strings.ReplaceAll(goForm, "/", `\/`)
	return []string{goForm, upper, slashed, strings.ReplaceAll(upper, "/", `\/`)}
}

var unicodeEscape = regexp.MustCompile(`\\u[0-9a-f]{4}`)

// JoinSegments appends path segments to base, each escaped on its own: a
// "/" or ".." inside one (a credential) stays inside it and never moves
// the request to another path. Redact knows a credential in that form.
func JoinSegments(base *url.URL, segments ...string) *url.URL {
	raw := strings.TrimRight(base.EscapedPath(), "/")
	for _, s := range segments {
		raw += "/" + pathSegment(s)
	}
	u := *base
	u.Path, _ = url.PathUnescape(raw) // raw is escaped by construction
	u.RawPath = raw
	return &u
}

// pathSegment escapes s as one path segment, "/" and dot segments included.
func pathSegment(s string) string {
	if strings.Trim(s, ".") == "" {
		return strings.ReplaceAll(s, ".", "%2E")
	}
	return url.PathEscape(s)
}
