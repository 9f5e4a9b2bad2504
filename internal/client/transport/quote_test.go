package transport

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Credentials as the client's tests name them.
const (
	testToken       = "tokSECRETz9Q8w7"
	testClientToken = "ctSECRETk4L3m2"
	testAPIKey      = "akSECRETe6R5t4"
)

// valueRunes is how much of a value that could not be read the client
// quotes, a cut the client's decoders ask Clip for.
const valueRunes = 40

// clip equals the plain rule, credentials replaced on the whole text and
// then the text cut, while reading only a window at the start.
func TestClipReadsOnlyAWindow(t *testing.T) {
	c := New(API{Name: "Z-API"}, Options{}, testToken, testClientToken, "")
	for _, n := range []int{1, 8, valueRunes, MaxQuotedRunes} {
		for offset := range 4*n + (n+3)*c.longestSecret + 8 {
			s := strings.Repeat("é", offset/2) + strings.Repeat("a", offset%2) + testToken + strings.Repeat("z", 5*n)
			if got, want := c.Clip(s, n), plainClip(c, s, n); got != want {
				t.Fatalf("n=%d offset %d: clip gives %q, want %q", n, offset, got, want)
			}
		}
	}
}

// A long credential, repeated, shrinks the window when replaced; clip
// still reads it as the plain rule does.
func TestClipWithLongCredentials(t *testing.T) {
	key := strings.Repeat("k", 400) + "END"
	c := New(API{Name: "EnviaAI"}, Options{}, key)
	for _, n := range []int{1, valueRunes, MaxQuotedRunes} {
		for _, s := range []string{strings.Repeat(key, 200), "x" + strings.Repeat(key, 200), strings.Repeat(key+" ", 200)} {
			if got, want := c.Clip(s, n), plainClip(c, s, n); got != want {
				t.Fatalf("n=%d: clip gives %q, want %q", n, got, want)
			}
		}
	}
}

func plainClip(h *Transport, s string, n int) string {
	s = h.Redact(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func FuzzClip(f *testing.F) {
	f.Add("plain text", uint16(5), uint16(40))
	f.Add(strings.Repeat("x", 40)+testToken, uint16(38), uint16(40))
	f.Add("\x1b[2J"+testAPIKey+"\u202e", uint16(0), uint16(300))
	c := New(API{Name: "Z-API"}, Options{}, testToken, testClientToken, "")
	f.Fuzz(func(t *testing.T, text string, at, n uint16) {
		// A credential placed anywhere in the text.
		i := int(at) % (len(text) + 1)
		s := text[:i] + testToken + text[i:]
		limit := int(n)%(MaxQuotedRunes+1) + 1
		got := c.Clip(s, limit)
		if want := plainClip(c, s, limit); got != want {
			t.Fatalf("clip(%q, %d) = %q, want %q", s, limit, got, want)
		}
		if !strings.Contains(text, testToken[:5]) && strings.Contains(strings.ReplaceAll(got, "REDACTED", "\x00"), testToken[:5]) {
			t.Fatalf("clip holds the start of a credential: %q", got)
		}
		for _, r := range Printable(got) {
			if r < ' ' || r == 0x7f {
				t.Fatalf("printable left %U in %q", r, Printable(got))
			}
		}
	})
}

// A credential written as text, not as a JSON field (a query string, a
// header or form quoted in a message), is replaced too, whoever's it is;
// text with no credential is quoted as sent.
func TestClipWithholdsCredentialsWrittenAsText(t *testing.T) {
	c := New(API{Name: "X", Withheld: func(f string) bool { return strings.EqualFold(f, "phone") }}, Options{})
	for _, tc := range []struct{ in, want string }{
		{"GET /hook?token=abc123&page=2 failed", "GET /hook?token=REDACTED&page=2 failed"},
		{"Authorization: Bearer eyJhbGciOi.x-y_z", "Authorization: REDACTED REDACTED"},
		{"bearer abc", "bearer REDACTED"},
		{"invalid api_key=sk_live_42; retry", "invalid api_key=REDACTED; retry"},
		{"X-Api-Key : k-9 refused", "X-Api-Key : REDACTED refused"},
		{"password:hunter2,user:bob", "password:REDACTED,user:bob"},
		{"foo=clientToken=zz", "foo=clientToken=REDACTED"},
		{"<p>secret: s3cr3t</p>", "<p>secret: REDACTED</p>"},
		{"phone=5511999999999 blocked", "phone=REDACTED blocked"},
		{`{"token":"abc","message":"token=def"}`, `{"token":"REDACTED","message":"token=REDACTED"}`},
		{"instance not found: inst_42", "instance not found: inst_42"},
		{"retry at 12:30:00, https://api.example.com/x", "retry at 12:30:00, https://api.example.com/x"},
		{"Client-Token F123 not allowed", "Client-Token F123 not allowed"},
	} {
		if got := c.Clip(tc.in, MaxQuotedRunes); got != tc.want {
			t.Errorf("Clip(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
