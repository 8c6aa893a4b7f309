package rules

import (
	"embed"
	"sync"
)

//go:embed builtin
var builtinFS embed.FS

var builtin = sync.OnceValues(LoadBuiltin)

// LoadBuiltin parses the built-in catalogue afresh. Most callers want
// Builtin, which parses it once.
func LoadBuiltin() (*Set, error) { return LoadFS(builtinFS, "builtin") }

// Builtin returns the built-in catalogue: one file per language and
// category under rules/builtin. The Set is shared: do not modify it.
func Builtin() (*Set, error) { return builtin() }
