// Package version is the project's release version, in one place for the
// Go side: the library (capi), the commands' --version and the tests that
// check include/mars.h and every package manifest against it. The rules for
// changing it are in docs/compatibility.md.
package version

import "fmt"

// The release version. include/mars.h repeats it as MARS_VERSION_*.
const (
	Major = 0
	Minor = 3
	Patch = 0
)

// Number is Major*1000000 + Minor*1000 + Patch (MARS_VERSION_NUMBER).
const Number = Major*1000000 + Minor*1000 + Patch

// String is "Major.Minor.Patch" (MARS_VERSION_STRING).
func String() string { return fmt.Sprintf("%d.%d.%d", Major, Minor, Patch) }
