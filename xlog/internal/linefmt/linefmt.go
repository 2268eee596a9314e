// Package linefmt turns one log record into the bytes Mars writes for it:
// the file line, the console line and the banner timestamps. It only appends to byte slices: no I/O, no
// allocation.
package linefmt

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Limits from Mars's formater.cc: the prefix is cut at
// 1023 bytes and the message at 16384 − prefix − 130 bytes (and never more
// than 65535), so one line always fits Mars's 16 KiB line buffer. Unlike
// Mars, which cuts silently, a cut message ends in CutMark (see CutMark).
const (
	MaxPrefix     = 1023
	lineBufferLen = 16384
	lineReserve   = 130
	maxMessage    = 65535
	// MaxLine bounds the length of any line AppendLine produces.
	MaxLine = lineBufferLen
	// maxCutMark is the most bytes the cut mark takes.
	maxCutMark = len(cutMarkStart) + 20 + len(cutMarkEnd)
)

// A message cut to fit the line ends, on a rune boundary, in
// "…[truncated N bytes]" before its newline: N is how many bytes of the
// message were left out.
const (
	cutMarkStart = "…[truncated "
	cutMarkEnd   = " bytes]"
)

// CutMark returns the mark that ends a message of which n bytes were left
// out.
func CutMark(n int) string { return cutMarkStart + strconv.Itoa(n) + cutMarkEnd }

// Record is one log call as the formatter sees it. Letter is Mars's level
// letter (V D I W E F); a zero Time leaves the time field empty, as Mars does
// for tv_sec == 0.
type Record struct {
	Letter  byte
	Time    time.Time
	Pid     int
	Tid     int
	Main    bool // tid is the main thread: Mars marks it with '*'
	Tag     string
	File    string // full path; only the base name is printed
	Func    string
	Line    int
	Message string
}

// AppendLine appends the Mars file line for r:
//
//	[L][YYYY-MM-DD ±H.H hh:mm:ss.mmm][pid, tid*][tag][file:line, func][message\n
//
// There is no closing bracket after the message; a newline is added unless
// the message already ends with one; the message stops at its first NUL.
func AppendLine(dst []byte, r *Record) []byte {
	var f *Formatter
	return f.AppendLine(dst, r)
}

// Formatter is AppendLine with a cache of the last second's date, zone and
// clock text, which most lines share. Safe for concurrent use; the zero value
// is ready, and a nil *Formatter formats without the cache.
type Formatter struct {
	last atomic.Pointer[second]
}

// second is the formatted "YYYY-MM-DD ±H.H hh:mm:ss" of one second in one
// location; immutable once published.
type second struct {
	unix int64
	loc  *time.Location
	n    int
	text [40]byte
}

// AppendLine is the package function AppendLine, using the cache.
func (f *Formatter) AppendLine(dst []byte, r *Record) []byte {
	dst, _ = f.AppendLineCut(dst, r)
	return dst
}

// AppendLineCut is AppendLine that also says how many message bytes it
// left out to fit the line (0 for a whole message).
func (f *Formatter) AppendLineCut(dst []byte, r *Record) (line []byte, cut int) {
	start := len(dst)
	dst = append(dst, '[', r.Letter, ']', '[')
	if !r.Time.IsZero() {
		dst = f.appendTime(dst, r.Time)
	}
	dst = append(dst, ']', '[')
	dst = strconv.AppendInt(dst, int64(r.Pid), 10)
	dst = append(dst, ',', ' ')
	dst = strconv.AppendInt(dst, int64(r.Tid), 10)
	if r.Main {
		dst = append(dst, '*')
	}
	dst = append(dst, ']', '[')
	dst = append(dst, r.Tag...)
	dst = append(dst, ']', '[')
	dst = append(dst, BaseName(r.File)...)
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, int64(r.Line), 10)
	dst = append(dst, ',', ' ')
	dst = append(dst, r.Func...)
	dst = append(dst, ']', '[')
	if len(dst)-start > MaxPrefix {
		dst = dst[:start+MaxPrefix]
	}
	room := min(lineBufferLen-(len(dst)-start)-lineReserve, maxMessage)
	return appendMessage(dst, r.Message, room)
}

// AppendConsole appends Mars's Linux console line:
//
//	[L][tag][file, func, line][message\n
//
// where func is reduced to the bare function name.
func AppendConsole(dst []byte, r *Record) []byte {
	dst = append(dst, '[', r.Letter, ']', '[')
	dst = append(dst, r.Tag...)
	dst = append(dst, ']', '[')
	dst = append(dst, BaseName(r.File)...)
	dst = append(dst, ',', ' ')
	dst = append(dst, BareFunc(r.Func)...)
	dst = append(dst, ',', ' ')
	dst = strconv.AppendInt(dst, int64(r.Line), 10)
	dst = append(dst, ']', '[')
	dst, _ = appendMessage(dst, r.Message, lineBufferLen)
	return dst
}

// AppendMessage appends msg (cut at its first NUL, and to what fits Mars's
// line buffer) and a newline unless msg already ends with one: Mars's rule
// for every line, including prefix-less banner lines.
func AppendMessage(dst []byte, msg string) []byte {
	dst, _ = appendMessage(dst, msg, lineBufferLen-lineReserve)
	return dst
}

// appendMessage appends msg in at most room bytes (plus the newline); a
// longer one is cut on a rune boundary and ends in the cut mark, and cut
// says how many bytes were left out.
func appendMessage(dst []byte, msg string, room int) (line []byte, cut int) {
	if i := strings.IndexByte(msg, 0); i >= 0 {
		msg = msg[:i]
	}
	room = max(room, maxCutMark)
	if len(msg) > room {
		keep := room - maxCutMark
		for keep > 0 && !utf8.RuneStart(msg[keep]) {
			keep--
		}
		cut = len(msg) - keep
		dst = append(dst, msg[:keep]...)
		dst = append(dst, cutMarkStart...)
		dst = strconv.AppendInt(dst, int64(cut), 10)
		dst = append(dst, cutMarkEnd...)
		return append(dst, '\n'), cut
	}
	dst = append(dst, msg...)
	if len(msg) == 0 || msg[len(msg)-1] != '\n' {
		dst = append(dst, '\n')
	}
	return dst, 0
}

// appendTime appends "YYYY-MM-DD ±H.H hh:mm:ss.mmm" in t's location; the zone
// is the UTC offset in hours with one decimal (formater.cc:117-127).
func (f *Formatter) appendTime(dst []byte, t time.Time) []byte {
	if f == nil {
		dst = appendSecond(dst, t)
	} else {
		s := f.last.Load()
		if s == nil || s.unix != t.Unix() || s.loc != t.Location() {
			s = &second{unix: t.Unix(), loc: t.Location()}
			s.n = len(appendSecond(s.text[:0], t))
			f.last.Store(s)
		}
		dst = append(dst, s.text[:s.n]...)
	}
	dst = append(dst, '.')
	return appendPad(dst, t.Nanosecond()/int(time.Millisecond), 3)
}

// appendSecond appends "YYYY-MM-DD ±H.H hh:mm:ss".
func appendSecond(dst []byte, t time.Time) []byte {
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	_, off := t.Zone()
	dst = appendDate(dst, year, int(month), day)
	dst = append(dst, ' ')
	dst = appendZoneHours(dst, off)
	dst = append(dst, ' ')
	return appendClock(dst, hour, minute, sec)
}

// AppendBannerTime appends the banner timestamp,
// "[pid,tid][YYYY-MM-DD ±hhmm hh:mm:ss]".
func AppendBannerTime(dst []byte, pid, tid int, t time.Time) []byte {
	dst = append(dst, '[')
	dst = strconv.AppendInt(dst, int64(pid), 10)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(tid), 10)
	dst = append(dst, ']', '[')
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	_, off := t.Zone()
	dst = appendDate(dst, year, int(month), day)
	dst = append(dst, ' ')
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	dst = append(dst, sign)
	dst = appendPad(dst, off/3600, 2)
	dst = appendPad(dst, off%3600/60, 2)
	dst = append(dst, ' ')
	dst = appendClock(dst, hour, minute, sec)
	return append(dst, ']')
}

func appendDate(dst []byte, year, month, day int) []byte {
	dst = appendPad(dst, year, 4)
	dst = append(dst, '-')
	dst = appendPad(dst, month, 2)
	dst = append(dst, '-')
	return appendPad(dst, day, 2)
}

func appendClock(dst []byte, hour, minute, sec int) []byte {
	dst = appendPad(dst, hour, 2)
	dst = append(dst, ':')
	dst = appendPad(dst, minute, 2)
	dst = append(dst, ':')
	return appendPad(dst, sec, 2)
}

// appendZoneHours prints seconds east of UTC as printf("%+.1f", off/3600.0).
func appendZoneHours(dst []byte, off int) []byte {
	if off >= 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendFloat(dst, float64(off)/3600, 'f', 1, 64)
}

// appendPad appends v in decimal, zero-padded to width digits.
func appendPad(dst []byte, v, width int) []byte {
	var b [20]byte
	i := len(b)
	for v >= 10 || width > 1 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	i--
	b[i] = byte('0' + v)
	return append(dst, b[i:]...)
}

// BaseName returns the part of path after the last '/' or '\'.
func BaseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == '\\' {
			return path[i+1:]
		}
	}
	return path
}

// BareFunc reduces a pretty function name to the bare name, as Mars's
// loginfo_extract.c does for the console: "void a::b::C::Run(int)" → "Run".
// A '(' right after '.' belongs to a Go receiver ("pkg.(*T).M") and is kept.
func BareFunc(fn string) string {
	for i := 0; i < len(fn); i++ {
		if fn[i] == '(' && (i == 0 || fn[i-1] != '.') {
			fn = fn[:i]
			break
		}
	}
	if i := strings.LastIndexAny(fn, ": "); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}
