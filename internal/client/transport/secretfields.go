package transport

import (
	"regexp"
	"strings"
)

// A JSON field whose value is a credential, whoever sent it (instance
// tokens in Z-API's answers, EnviaAI's QR code, keys, passwords and
// signing secrets an API or a proxy may echo), is known by its name alone,
// in any case and spelling: securityToken, security_token and Security-Token are
// one name. SecretField tells such a name once normalized (lower case, only
// letters and digits kept).
var (
	// secretWords name a credential wherever they stand in a name:
	// securityToken, signingSecret, x-api-key, qrCodeBase64, basicAuthPassword.
	secretWords = []string{"token", "secret", "password", "passwd", "passphrase", "apikey", "qrcode", "authorization", "credential", "cookie", "privatekey", "accesskey"}
	// secretSuffixes name one at the end of a name: signingKey, sessionId
	// is not one, sessionKey is.
	secretSuffixes = []string{"key", "auth", "pwd", "pin", "otp", "signature"}
	// secretNames name one only alone.
	secretNames = []string{"qr", "pass", "session", "sid"}
)

// maxSecretName is the longest field name checked; longer quoted text is
// not taken for a field name.
const maxSecretName = 128

// SecretField reports whether a JSON field name names a credential.
func SecretField(name string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	n := b.String()
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, w := range secretSuffixes {
		if strings.HasSuffix(n, w) {
			return true
		}
	}
	for _, w := range secretNames {
		if n == w {
			return true
		}
	}
	return false
}

// withoutFields replaces the value of every field withheld names in a JSON
// text, at any depth, with "REDACTED". It works on text that is
// not valid JSON too (a body cut short, HTML with JSON inside, JSON escaped
// inside a JSON string): a string value ends at its closing quote or at the
// end of the text, any other value at the next , } ] or end of line.
func withoutFields(s string, withheld func(string) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		valueAt, ok := withheldKeyAt(s, i, withheld)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(s[i:valueAt])
		b.WriteString(`"REDACTED"`)
		i = skipValue(s, valueAt)
	}
	return b.String()
}

// withheldKeyAt reports whether a quoted field name withheld names starts
// at i and is followed by a colon; valueAt is where its value starts.
func withheldKeyAt(s string, i int, withheld func(string) bool) (valueAt int, ok bool) {
	if s[i] != '"' {
		return 0, false
	}
	closing := strings.IndexByte(s[i+1:min(len(s), i+2+maxSecretName)], '"')
	if closing < 0 || !withheld(s[i+1:i+1+closing]) {
		return 0, false
	}
	j := i + closing + 2
	for j < len(s) && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
		j++
	}
	if j >= len(s) || s[j] != ':' {
		return 0, false
	}
	j++
	for j < len(s) && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
		j++
	}
	return j, true
}

// skipValue returns the end of the JSON value starting at i.
func skipValue(s string, i int) int {
	if i >= len(s) {
		return i
	}
	if strings.HasPrefix(s[i:], `\"`) {
		// A string inside a JSON string: it ends at the next \".
		if end := strings.Index(s[i+2:], `\"`); end >= 0 {
			return i + 2 + end + 2
		}
		return len(s)
	}
	switch s[i] {
	case '"':
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(s)
	case '{', '[':
		depth, inString := 0, false
		for j := i; j < len(s); j++ {
			c := s[j]
			switch {
			case inString && c == '\\':
				j++
			case c == '"':
				inString = !inString
			case inString:
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(s)
	}
	j := i
	for j < len(s) && strings.IndexByte(",}]\n", s[j]) < 0 {
		j++
	}
	return j
}

// A credential may also stand in text that is not JSON: a query string
// (?token=abc), a header or form quoted in a message ("Authorization:
// Bearer abc", "api_key=abc"). withoutTextPairs replaces the value after
// each name withheld names followed by = or :, and the word after an HTTP
// authentication scheme, with REDACTED. A value ends at a space, a quote or
// one of & ; , < > ) ] }; the name follows the same rules as a JSON field's.
var (
	textPair   = regexp.MustCompile(`([A-Za-z][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*`)
	authScheme = regexp.MustCompile(`(?i)\b(?:bearer|basic)[ \t]+`)
)

func withoutTextPairs(s string, withheld func(string) bool) string {
	var b strings.Builder
	last := 0
	redactAfter := func(at int) {
		if n := textValueLen(s[at:]); n > 0 {
			b.WriteString(s[last:at])
			b.WriteString("REDACTED")
			last = at + n
		}
	}
	for _, m := range authScheme.FindAllStringIndex(s, -1) {
		if m[0] >= last {
			redactAfter(m[1])
		}
	}
	if last > 0 {
		b.WriteString(s[last:])
		s, last = b.String(), 0
		b.Reset()
	}
	for _, m := range textPair.FindAllStringSubmatchIndex(s, -1) {
		if m[0] >= last && len(s[m[2]:m[3]]) <= maxSecretName && withheld(s[m[2]:m[3]]) {
			redactAfter(m[1])
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// textValueLen is the length of the value s starts with.
func textValueLen(s string) int {
	if s == "" || strings.HasPrefix(s, "REDACTED") {
		return 0
	}
	if i := strings.IndexAny(s, " \t\r\n\"'&;,<>)]}"); i >= 0 {
		return i
	}
	return len(s)
}
