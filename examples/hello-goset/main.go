// Command hello-goset is a user's own project built against a goset package
// set: its dependencies come precompiled from goPackages, so building it
// compiles this one package.
package main

import (
	"fmt"
	"os"

	"github.com/fatih/color"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

var version = "dev"

func main() {
	root := &cobra.Command{
		Use:     "hello-goset",
		Short:   "Greets in YAML, built through a goset package set",
		Version: version,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "world"
			if len(args) > 0 {
				name = args[0]
			}
			out, err := yaml.Marshal(map[string]string{"greeting": "hello " + name})
			if err != nil {
				return err
			}
			color.New(color.Bold).Fprint(cmd.OutOrStdout(), string(out))
			return nil
		},
	}
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
