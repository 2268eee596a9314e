package main

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// headerDefines returns the integer #defines of include/mars.h.
func headerDefines(t *testing.T) map[string]int64 {
	t.Helper()
	src, err := os.ReadFile("../include/mars.h")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^#define\s+(MARS_[A-Z0-9_]+)\s+\(?(-?(?:0x[0-9A-Fa-f]+|\d+))[uU]?\)?`)
	defs := map[string]int64{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		v, err := strconv.ParseInt(m[2], 0, 64)
		if err != nil {
			t.Fatalf("%s: %v", m[1], err)
		}
		defs[m[1]] = v
	}
	return defs
}

func TestHeaderVersionMatches(t *testing.T) {
	d := headerDefines(t)
	want := map[string]int64{
		"MARS_VERSION_MAJOR":  versionMajor,
		"MARS_VERSION_MINOR":  versionMinor,
		"MARS_VERSION_PATCH":  versionPatch,
		"MARS_VERSION_NUMBER": versionNumber,
	}
	for name, v := range want {
		if got, ok := d[name]; !ok || got != v {
			t.Errorf("mars.h %s = %d (present %v), library has %d", name, got, ok, v)
		}
	}
}

func TestHeaderResultCodesAreDistinct(t *testing.T) {
	seen := map[int64]string{}
	for name, v := range headerDefines(t) {
		if !regexp.MustCompile(`^MARS_(OK|E[A-Z]+)$`).MatchString(name) {
			continue
		}
		if other, dup := seen[v]; dup {
			t.Errorf("%s and %s share the value %d", name, other, v)
		}
		seen[v] = name
	}
	if len(seen) < 10 {
		t.Fatalf("found %d result codes in mars.h, want at least 10", len(seen))
	}
}
