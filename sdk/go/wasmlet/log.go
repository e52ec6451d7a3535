// Log lines the host captures per invocation, with its request id (wasmlet logs NAME).
package wasmlet

// Level is a log level: the enum log-level of the contract, in its order.
type Level uint32

const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warn"
	case LevelError:
		return "error"
	}
	return "unknown"
}

// Log writes one log line. Outside wasip1 it goes to stderr as "[level] msg".
// An unknown level is logged as error (the host traps on an enum value it does
// not know, which would lose the line and the invocation).
//
//	wasmlet.Log(wasmlet.LevelWarn, fmt.Sprintf("slow upstream: %d ms", 812))
func Log(level Level, msg string) {
	if level > LevelError {
		level = LevelError
	}
	hostLog(level, msg)
}

// Debug logs msg at level debug.
func Debug(msg string) { Log(LevelDebug, msg) }

// Info logs msg at level info.
func Info(msg string) { Log(LevelInfo, msg) }

// Warn logs msg at level warn.
func Warn(msg string) { Log(LevelWarn, msg) }

// Error logs msg at level error; it does not make the invocation fail (return
// an error from a [Handler] for that).
func Error(msg string) { Log(LevelError, msg) }
