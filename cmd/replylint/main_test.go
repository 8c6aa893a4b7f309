package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/replylint/replylint/internal/cmd/root"
)

// TestMain lets the scripts run the real replylint binary: testscript
// re-executes this test binary as "replylint".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"replylint": func() { os.Exit(root.Main()) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
