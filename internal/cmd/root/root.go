// Package root assembles replylint's commands and runs them.
package root

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/replylint/replylint/internal/build"
	auditCmd "github.com/replylint/replylint/internal/cmd/audit"
	checkCmd "github.com/replylint/replylint/internal/cmd/check"
	debugCmd "github.com/replylint/replylint/internal/cmd/debug"
	imapCmd "github.com/replylint/replylint/internal/cmd/imap"
	initCmd "github.com/replylint/replylint/internal/cmd/initcmd"
	manCmd "github.com/replylint/replylint/internal/cmd/man"
	rulesCmd "github.com/replylint/replylint/internal/cmd/rules"
	sendmailCmd "github.com/replylint/replylint/internal/cmd/sendmail"
	versionCmd "github.com/replylint/replylint/internal/cmd/version"
	"github.com/replylint/replylint/internal/cmdutil"
)

// NewCmdRoot returns the root command with every subcommand.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	v, _, _ := build.Info()
	cmd := &cobra.Command{
		Use:   "replylint <command> [flags]",
		Short: "Lint what support agents send",
		Long: `replylint lints what support agents send, in English, Arabic, Persian and
Russian: disowning the problem, sending the customer elsewhere, hiding behind
policy, arguing, over-promising, excuses, canned templates, missing courtesies.
Each finding says where, why, and what to write instead, in the message's
own language.`,
		Example: `  replylint check draft.txt
  pbpaste | replylint check -
  replylint rules show deflection.not-my-responsibility`,
		Version:       v,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.PersistentFlags().StringVar(&f.ConfigPath, "config", "", "configuration file (default: .replylint.yaml found upward from the working directory)")
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetIn(f.IOStreams.In)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &cmdutil.UsageError{Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	cmd.AddCommand(checkCmd.NewCmdCheck(f, nil))
	cmd.AddCommand(auditCmd.NewCmdAudit(f, nil))
	cmd.AddCommand(rulesCmd.NewCmdRules(f, nil))
	cmd.AddCommand(imapCmd.NewCmdImap(f, nil))
	cmd.AddCommand(sendmailCmd.NewCmdSendmail(f, nil))
	cmd.AddCommand(manCmd.NewCmdMan(f))
	cmd.AddCommand(versionCmd.NewCmdVersion(f))
	cmd.AddCommand(debugCmd.NewCmdDebug(f))
	cmd.AddCommand(initCmd.NewCmdInit(f))
	return cmd
}

// Main runs replylint with the process's arguments and returns its exit
// code.
func Main() int {
	f := cmdutil.New()
	return Run(f, nil)
}

// Run runs the root command with args (nil: the process's) and returns the
// exit code. Errors print as one line on standard error.
func Run(f *cmdutil.Factory, args []string) int {
	cmd := NewCmdRoot(f)
	if args != nil {
		cmd.SetArgs(args)
	}
	err := cmd.Execute()
	if err == nil {
		return cmdutil.ExitOK
	}
	var exit *cmdutil.ExitCodeError
	if errors.As(err, &exit) {
		return exit.Code
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "replylint: %v\n", err)
	return cmdutil.ExitError
}
