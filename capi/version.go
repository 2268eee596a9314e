package main

import "github.com/mars-go/mars/internal/version"

// The library version (package version holds it for every Go side).
// include/mars.h repeats it as MARS_VERSION_*; the C tests and
// TestHeaderVersionMatches assert the two agree.
const (
	versionMajor = version.Major
	versionMinor = version.Minor
	versionPatch = version.Patch
)

// versionNumber is built as sqlite does: X*1000000 + Y*1000 + Z.
const versionNumber = version.Number
