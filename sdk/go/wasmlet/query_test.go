package wasmlet

import "testing"

func TestFindQueryParam(t *testing.T) {
	cases := []struct {
		query, key, want string
		found            bool
	}{
		{"name=ada&x=1", "name", "ada", true},
		{"x=1&name=Ada+Lovelace", "name", "Ada Lovelace", true},
		{"name=caf%C3%A9%21", "name", "café!", true},
		{"name=a&name=b", "name", "a", true},
		{"named=a&x=1", "name", "", false},
		{"", "name", "", false},
		{"debug&x=1", "debug", "", true},
		{"&&name=&", "name", "", true},
		{"a=b=c", "a", "b=c", true},
		{"first%20name=ada", "first name", "ada", true},
		{"first+name=ada", "first name", "ada", true},
	}
	for _, c := range cases {
		got, found := findQueryParam(c.query, c.key)
		if got != c.want || found != c.found {
			t.Errorf("findQueryParam(%q, %q) = %q, %v; want %q, %v", c.query, c.key, got, found, c.want, c.found)
		}
	}
}

func TestDecodeQueryComponentKeepsMalformedEscapes(t *testing.T) {
	cases := map[string]string{
		"100%":    "100%",
		"%zz":     "%zz",
		"%4":      "%4",
		"%41%4a":  "AJ",
		"%ff":     "\uFFFD",
		"a%2Bb+c": "a+b c",
		"\xffok":  "\uFFFDok",
		"plain":   "plain",
	}
	for in, want := range cases {
		if got := decodeQueryComponent(in); got != want {
			t.Errorf("decodeQueryComponent(%q) = %q, want %q", in, got, want)
		}
	}
}
