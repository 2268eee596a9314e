package main

// The library version. include/mars.h repeats it as MARS_VERSION_*; the C
// tests and TestHeaderVersionMatches assert the two agree.
const (
	versionMajor = 0
	versionMinor = 2
	versionPatch = 0
)

// versionNumber is built as sqlite does: X*1000000 + Y*1000 + Z.
const versionNumber = versionMajor*1000000 + versionMinor*1000 + versionPatch
