// application/x-www-form-urlencoded lookups, as browsers write query strings.
// net/url would do, but it rejects a whole query over one bad escape and adds
// to every component's size; these few lines decode leniently instead.
package wasmlet

import "strings"

// findQueryParam returns the decoded value of the first key in query ("a=1&b=2",
// no leading '?'). A key without '=' has the value "". Keys are compared after
// decoding.
func findQueryParam(query, key string) (string, bool) {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		if decodeQueryComponent(name) == key {
			return decodeQueryComponent(value), true
		}
	}
	return "", false
}

// decodeQueryComponent decodes '+' as a space and %XX as a byte. A '%' not
// followed by two hex digits stays as it is (browsers send such strings, and
// failing would lose the whole value); invalid UTF-8 becomes U+FFFD.
func decodeQueryComponent(text string) string {
	if !strings.ContainsAny(text, "+%") {
		return strings.ToValidUTF8(text, "\uFFFD")
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '+':
			out = append(out, ' ')
		case c == '%' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			out = append(out, hexValue(text[i+1])<<4|hexValue(text[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexValue(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
