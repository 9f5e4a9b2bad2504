package client

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text an API sends (error messages and codes, values that could not be
// read, body excerpts) reaches a message only through httpCore.clip, which
// replaces credentials on the text as sent and only then cuts it, and is
// printed quoted (%q, or printable for a JSON literal), so a control
// character or an escape sequence shows as \x1b and never acts on a terminal.

// redactor is what an adapter needs to quote text an API sent in an
// error: credentials replaced, cut and escaped. httpCore, which knows the
// credentials, is the one implementation.
type redactor interface {
	// clip replaces credentials in s and cuts it to n runes.
	clip(s string, n int) string
	// describe is err's text, quoting what the API sent through clip.
	describe(err error) string
	// excerpt is the start of a body, through clip.
	excerpt(body []byte) string
}

// maxQuotedRunes is the most of one text an API sent that a message quotes.
const maxQuotedRunes = 300

// clip makes text an API sent fit to quote: credentials replaced (ours,
// and the value of every field that names one, see withoutSecretFields),
// then cut to n runes with "…" marking a cut, as if the whole text had been
// redacted first. Only a window at its start is read, so a 30 MB error
// string costs what a short one does.
func (h *httpCore) clip(s string, n int) string {
	for window := 4*n + (n+2)*h.longestSecret; len(s) > window; window *= 2 {
		// A credential the window's end cuts through starts within its
		// last longestSecret-1 bytes, which redaction leaves as they were:
		// drop them. What is left must still fill n runes; a window of
		// long credentials, once replaced, may not, and is widened.
		r := h.scrub(s[:window])
		r = r[:max(0, len(r)-h.longestSecret)]
		if utf8.RuneCountInString(r) > n+utf8.UTFMax { // past a rune the cut may have split
			return string([]rune(r)[:n]) + "…"
		}
	}
	return cutRunes(h.scrub(s), n)
}

// scrub replaces in text an API sent the value of every field that names
// a credential, then our own credentials.
func (h *httpCore) scrub(s string) string { return h.redact(withoutSecretFields(s)) }

// cutRunes cuts s to n runes, "…" marking a cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// describe is err's text for a message, quoting what the API sent through
// clip: a value that could not be read is quoted from the value as sent.
func (h *httpCore) describe(err error) string {
	var ve *valueError
	if errors.As(err, &ve) {
		return fmt.Sprintf("want %s, got %s", ve.want, printable(h.clip(string(ve.got), valueRunes)))
	}
	return printable(h.clip(err.Error(), maxQuotedRunes))
}

// printable escapes the runes a terminal would act on or not show (control
// characters, escape sequences, invalid UTF-8, bidirectional overrides) as
// Go escapes, keeping the rest as it is. It is for text printed without
// quotes; %q does the same for quoted text.
func printable(s string) string {
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

// excerptRunes is how much of an unexpected body an error quotes.
const excerptRunes = 120

// excerpt is the start of a body, through clip, with runs of white space
// as one space.
func (h *httpCore) excerpt(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "(empty body)"
	}
	// White space collapses after redaction, so a credential spread over
	// a wide window is still found whole; the window is cut to what the
	// excerpt can show once collapsed.
	s, cut := strings.CutSuffix(h.clip(string(body), 4*excerptRunes), "…")
	s = strings.Join(strings.Fields(s), " ")
	if cut && utf8.RuneCountInString(s) <= excerptRunes {
		return s + "…"
	}
	return cutRunes(s, excerptRunes)
}
