package xlog

import "strconv"

// Level is a log level with Mars's numbers.
type Level int32

// Levels, lowest first. LevelNone as a logger's level disables all output.
const (
	LevelVerbose Level = iota
	LevelDebug
	LevelInfo
	LevelWarn
	LevelError
	LevelFatal
	LevelNone
)

// Letter is the one-letter tag Mars writes for the level (V D I W E F).
func (l Level) Letter() byte {
	if l >= LevelVerbose && l < LevelNone {
		return "VDIWEF"[l]
	}
	return 'F'
}

func (l Level) String() string {
	names := [...]string{"verbose", "debug", "info", "warn", "error", "fatal", "none"}
	if l >= LevelVerbose && l <= LevelNone {
		return names[l]
	}
	return "Level(" + strconv.Itoa(int(l)) + ")"
}
