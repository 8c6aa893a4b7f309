// Package version implements `replylint version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/internal/build"
	"github.com/replylint/replylint/internal/cmdutil"
)

// NewCmdVersion returns the version command.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, c, d := build.Info()
			fmt.Fprintf(f.IOStreams.Out, "replylint %s", v)
			if c != "" {
				fmt.Fprintf(f.IOStreams.Out, " (commit %s", c)
				if d != "" {
					fmt.Fprintf(f.IOStreams.Out, ", built %s", d)
				}
				fmt.Fprint(f.IOStreams.Out, ")")
			}
			fmt.Fprintf(f.IOStreams.Out, " %s/%s\n", runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
