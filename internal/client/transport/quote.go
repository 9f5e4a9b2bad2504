package transport

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text an API sends (error messages and codes, values that could not be
// read, body excerpts) reaches a message only through Transport.Clip, which
// replaces credentials on the text as sent and only then cuts it, and is
// printed quoted (%q, or Printable for a JSON literal), so a control
// character or an escape sequence shows as \x1b and never acts on a terminal.

// MaxQuotedRunes is the most of one text an API sent that a message quotes.
const MaxQuotedRunes = 300

// Clip makes text an API sent fit to quote: credentials replaced (ours,
// and the value of every field that names one or that API.Withheld names),
// then cut to n runes with "…" marking a cut, as if the whole text had
// been redacted first. Only a window at its start is read, so a 30 MB
// error string costs what a short one does.
func (t *Transport) Clip(s string, n int) string {
	for window := 4*n + (n+2)*t.longestSecret; len(s) > window; window *= 2 {
		// A credential the window's end cuts through starts within its
		// last longestSecret-1 bytes, which redaction leaves as they were:
		// drop them. What is left must still fill n runes; a window of
		// long credentials, once replaced, may not, and is widened.
		r := t.scrub(s[:window])
		r = r[:max(0, len(r)-t.longestSecret)]
		if utf8.RuneCountInString(r) > n+utf8.UTFMax { // past a rune the cut may have split
			return string([]rune(r)[:n]) + "…"
		}
	}
	return CutRunes(t.scrub(s), n)
}

// scrub replaces in text an API sent the value of every field withheld,
// as JSON or as text, then our own credentials.
func (t *Transport) scrub(s string) string {
	return t.Redact(withoutTextPairs(withoutFields(s, t.withheld), t.withheld))
}

// CutRunes cuts s to n runes, "…" marking a cut. It knows no credential:
// text an API sent goes through Clip.
func CutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Printable escapes the runes a terminal would act on or not show (control
// characters, escape sequences, invalid UTF-8, bidirectional overrides) as
// Go escapes, keeping the rest as it is. It is for text printed without
// quotes; %q does the same for quoted text.
func Printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], string(utf8.RuneError)):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

// ExcerptRunes is how much of an unexpected body Excerpt quotes.
const ExcerptRunes = 120

// Excerpt is the start of a body, through Clip, with runs of white space
// as one space.
func (t *Transport) Excerpt(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "(empty body)"
	}
	// White space collapses after redaction, so a credential spread over
	// a wide window is still found whole; the window is cut to what the
	// excerpt can show once collapsed.
	s, cut := strings.CutSuffix(t.Clip(string(body), 4*ExcerptRunes), "…")
	s = strings.Join(strings.Fields(s), " ")
	if cut && utf8.RuneCountInString(s) <= ExcerptRunes {
		return s + "…"
	}
	return CutRunes(s, ExcerptRunes)
}
