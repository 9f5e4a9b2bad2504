package client

import (
	"strings"
)

// secretFields are JSON fields whose value is a credential, whoever sent
// it: instance tokens in Z-API's answers, EnviaAI's QR code and webhook
// signing secrets, keys and passwords an API or a proxy may echo. Matched
// ignoring case.
var secretFields = []string{"token", "qrcode", "apikey", "api_key", "password", "secret"}

// withoutSecretFields replaces the value of every secret field in a JSON
// text with "REDACTED". It works on text that is not valid JSON too (a body
// cut short, HTML with JSON inside): a string value ends at its closing
// quote or at the end of the text, any other value at the next , } ] or
// end of line.
func withoutSecretFields(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		valueAt, ok := secretKeyAt(s, i)
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

// secretKeyAt reports whether a quoted secret field name starts at i and is
// followed by a colon; valueAt is where its value starts.
func secretKeyAt(s string, i int) (valueAt int, ok bool) {
	if s[i] != '"' {
		return 0, false
	}
	closing := strings.IndexByte(s[i+1:], '"')
	if closing < 0 {
		return 0, false
	}
	name := strings.ToLower(s[i+1 : i+1+closing])
	j := i + closing + 2
	found := false
	for _, f := range secretFields {
		found = found || name == f
	}
	if !found {
		return 0, false
	}
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
