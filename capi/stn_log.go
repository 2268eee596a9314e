//go:build !mars_xlog_only

package main

import (
	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/xlog"
)

// engineLogTag is the xlog tag of the engine's own lines.
const engineLogTag = "mars.stn"

// xlogEngineLogger writes the engine's log lines into an appender
// (mars_stn_config.log), as Mars's STN logs into xlog.
type xlogEngineLogger struct{ l *xlog.Logger }

var _ engine.Logger = xlogEngineLogger{}

// engineLevels maps engine levels to xlog levels of the same name.
var engineLevels = map[engine.LogLevel]xlog.Level{
	engine.LogDebug: xlog.LevelDebug,
	engine.LogInfo:  xlog.LevelInfo,
	engine.LogWarn:  xlog.LevelWarn,
	engine.LogError: xlog.LevelError,
}

func xlogLevel(l engine.LogLevel) xlog.Level {
	if lv, ok := engineLevels[l]; ok {
		return lv
	}
	return xlog.LevelError
}

func (x xlogEngineLogger) Enabled(l engine.LogLevel) bool { return x.l.Enabled(xlogLevel(l)) }

func (x xlogEngineLogger) Log(l engine.LogLevel, msg string) {
	x.l.Log(xlogLevel(l), engineLogTag, "", "", 0, msg)
}
