package main

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func TestGreetingIsYAML(t *testing.T) {
	out, err := yaml.Marshal(map[string]string{"greeting": "hello world"})
	if err != nil || string(out) != "greeting: hello world\n" {
		t.Fatalf("got %q, %v", out, err)
	}
}
