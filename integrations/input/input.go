// Package input turns the paths given on the command line into documents:
// files, folders (walked) and "-" for standard input.
package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/replylint/replylint/analyzer"
)

// MaxFileSize is the largest input read whole; larger ones are refused with
// an error rather than exhausting memory.
const MaxFileSize = 64 << 20

// Options say how to read inputs.
type Options struct {
	Kind  analyzer.Kind
	Lang  string
	Stdin io.Reader
}

// Error is an input that could not be read: one line naming the input.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Walk reads every input in paths, in order (folders in lexical order), and
// calls doc for each document and fail for each input that cannot be read.
// It stops only if doc returns an error.
func Walk(paths []string, opts Options, doc func(path string, d analyzer.Document) error, fail func(*Error)) error {
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(io.LimitReader(opts.Stdin, MaxFileSize+1))
			if err != nil {
				fail(&Error{Path: "<stdin>", Err: err})
				continue
			}
			if err := emit("-", data, opts, doc, fail); err != nil {
				return err
			}
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			fail(&Error{Path: p, Err: cleanErr(err)})
			continue
		}
		if !st.IsDir() {
			if err := readFile(p, opts, doc, fail); err != nil {
				return err
			}
			continue
		}
		var files []string
		werr := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(&Error{Path: q, Err: cleanErr(err)})
				return nil
			}
			name := d.Name()
			if q != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				files = append(files, q)
			}
			return nil
		})
		if werr != nil {
			fail(&Error{Path: p, Err: werr})
		}
		sort.Strings(files)
		for _, f := range files {
			if err := readFile(f, opts, doc, fail); err != nil {
				return err
			}
		}
	}
	return nil
}

func readFile(p string, opts Options, doc func(string, analyzer.Document) error, fail func(*Error)) error {
	f, err := os.Open(p)
	if err != nil {
		fail(&Error{Path: p, Err: cleanErr(err)})
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		fail(&Error{Path: p, Err: cleanErr(err)})
		return nil
	}
	return emit(p, data, opts, doc, fail)
}

func emit(p string, data []byte, opts Options, doc func(string, analyzer.Document) error, fail func(*Error)) error {
	name := p
	if p == "-" {
		name = "<stdin>"
	}
	if err := CheckText(data); err != nil {
		fail(&Error{Path: name, Err: err})
		return nil
	}
	return doc(p, analyzer.Document{
		Text:   string(bytes.TrimPrefix(data, []byte("\ufeff"))),
		Lang:   opts.Lang,
		Kind:   opts.Kind,
		Source: analyzer.Source{Path: p},
	})
}

// CheckText rejects what cannot be linted as text: too large, empty, binary
// or not UTF-8.
func CheckText(data []byte) error {
	if len(data) > MaxFileSize {
		return fmt.Errorf("larger than %d MB: not linted", MaxFileSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("empty input: nothing to lint")
	}
	head := data[:min(len(data), 8000)]
	if bytes.IndexByte(head, 0) >= 0 {
		return errors.New("binary file: not linted")
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		line := bytes.Count(data[:off], []byte("\n")) + 1
		return fmt.Errorf("line %d: invalid UTF-8 at byte %d (convert the file to UTF-8, e.g. iconv -f WINDOWS-1251 -t UTF-8)", line, off)
	}
	return nil
}

// cleanErr drops the "open PATH:" prefix that os errors repeat.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
