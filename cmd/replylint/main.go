// Command replylint lints what support agents send. See `replylint --help`.
package main

import (
	"os"

	"github.com/replylint/replylint/internal/cmd/root"
)

func main() { os.Exit(root.Main()) }
