package rules

import (
	"embed"
	"sync"
)

//go:embed builtin
var builtinFS embed.FS

var builtin = sync.OnceValues(LoadBuiltin)

// snapshot is the catalogue parsed (see snapshot.go).
//
//go:embed builtin.snapshot
var snapshot string

// LoadBuiltin loads the built-in catalogue afresh: from its snapshot when
// that was made from these files, else from the YAML. Most callers want
// Builtin, which loads it once.
func LoadBuiltin() (*Set, error) {
	if set, err := builtinSnapshot(); err == nil {
		return set, nil
	}
	return loadBuiltinYAML()
}

// builtinSnapshot decodes the snapshot if it was made from the embedded
// YAML files; an error means LoadBuiltin must read the YAML.
func builtinSnapshot() (*Set, error) {
	hash, err := sourceHash(builtinFS, "builtin")
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(snapshot, hash)
}

// loadBuiltinYAML parses the catalogue's YAML files.
func loadBuiltinYAML() (*Set, error) { return LoadFS(builtinFS, "builtin") }

// Builtin returns the built-in catalogue: one file per language and
// category under rules/builtin. The Set is shared: do not modify it.
func Builtin() (*Set, error) { return builtin() }
