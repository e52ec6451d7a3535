//go:build !wasip1

// Native stand-ins for the host imports, so that go test runs on the build machine.
package wasmlet

import "os"

func hostLog(level Level, msg string) {
	os.Stderr.WriteString("[" + level.String() + "] " + msg + "\n")
}

func hostGetConfig(string) (string, bool) {
	return "", false
}
