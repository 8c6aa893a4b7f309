// Package man implements `replylint man`, which writes the man pages.
package man

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/replylint/replylint/internal/cmdutil"
)

// NewCmdMan returns the man command. It is hidden: packagers run it (see
// .goreleaser.yaml), users read the pages.
func NewCmdMan(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write man pages for every command into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return err
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			header := &doc.GenManHeader{Title: "REPLYLINT", Section: "1", Source: "replylint", Manual: "replylint manual"}
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "wrote man pages to %s\n", args[0])
			return nil
		},
	}
}
