package engine

// LogLevel orders log lines.
type LogLevel int

// Log levels.
const (
	LogDebug LogLevel = iota
	LogInfo
	LogWarn
	LogError
)

// Logger receives engine log lines. Enabled is asked first so disabled
// lines cost nothing. It is called from the owner and I/O goroutines.
type Logger interface {
	Enabled(level LogLevel) bool
	Log(level LogLevel, msg string)
}

type nopLogger struct{}

func (nopLogger) Enabled(LogLevel) bool { return false }
func (nopLogger) Log(LogLevel, string)  {}
