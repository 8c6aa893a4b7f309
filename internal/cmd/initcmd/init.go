// Package initcmd implements `replylint init`.
package initcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/config"
	"github.com/replylint/replylint/internal/cmdutil"
)

// NewCmdInit returns the init command.
func NewCmdInit(f *cmdutil.Factory) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter " + config.FileName,
		Long: `Write a commented starter configuration, ` + config.FileName + `, in the current
folder: rule selection, severities, the team's rule files, allowlisted phrases,
agents, thresholds, templates and suppressions. It refuses to overwrite an
existing file unless --force is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			file, err := os.OpenFile(config.FileName, flag, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return cmdutil.Usagef("%s already exists (use --force to overwrite it)", config.FileName)
			}
			if err != nil {
				return err
			}
			if _, err := file.WriteString(config.Starter); err != nil {
				file.Close()
				return err
			}
			if err := file.Close(); err != nil {
				return err
			}
			fmt.Fprintf(f.IOStreams.ErrOut, "wrote %s\n", config.FileName)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
