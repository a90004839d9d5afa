package modcache

import (
	"fmt"
	"strings"
)

// EscapeCase turns every uppercase ASCII letter of a module path or version
// into '!' and its lowercase form, as GOMODCACHE and proxy URLs spell them.
func EscapeCase(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty module path or version")
	}
	if strings.Contains(s, "!") {
		return "", fmt.Errorf("%q already holds '!'", s)
	}
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}
