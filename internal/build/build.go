// Package build holds the version stamped into the binary at release time
// (goreleaser sets these with -ldflags -X).
package build

import "runtime/debug"

// Set by the linker: -X github.com/replylint/replylint/internal/build.Version=v1.2.3
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info returns the version, commit and build date, falling back to what the
// Go toolchain recorded (go install module@version) when not stamped.
func Info() (version, commit, date string) {
	version, commit, date = Version, Commit, Date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if commit == "" {
					commit = s.Value
				}
			case "vcs.time":
				if date == "" {
					date = s.Value
				}
			}
		}
	}
	if version == "" {
		version = "dev"
	}
	return version, commit, date
}
