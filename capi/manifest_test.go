package main

import (
	"fmt"
	"os"
	"regexp"
	"testing"
)

// TestManifestsAgreeOnVersionAndLicense: every package description names
// the library's version and the MIT licence of the LICENSE file. (The CMake
// package and the pkg-config file take the version from mars.h; their
// templates are checked for the licence.)
func TestManifestsAgreeOnVersionAndLicense(t *testing.T) {
	version := fmt.Sprintf("%d.%d.%d", versionMajor, versionMinor, versionPatch)
	lic, err := os.ReadFile("../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^MIT License\n`).Match(lic) {
		t.Fatalf("LICENSE does not start with \"MIT License\": %.40q", lic)
	}
	for _, m := range []struct {
		path             string
		version, license string // regexps; version's group 1 is the version
	}{
		{"../bindings/python/pyproject.toml", `(?m)^version = "([^"]+)"`, `(?m)^license = "MIT"$`},
		{"../bindings/java/pom.xml", `(?s)</modelVersion>.*?<version>([^<]+)</version>`, `<license>\s*<name>MIT License</name>`},
		{"../bindings/objc/Mars.podspec", `s\.version\s*=\s*'([^']+)'`, `s\.license\s*=\s*\{ :type => 'MIT'`},
		{"../bindings/objc/Mars.podspec", `download/v([0-9.]+)/`, ``},
		{"../cmake/marsConfig.cmake.in", ``, `set\(MARS_LICENSE "MIT"\)`},
		{"../cmake/mars.pc.in", ``, `MIT License`},
	} {
		src, err := os.ReadFile(m.path)
		if err != nil {
			t.Fatal(err)
		}
		if m.version != "" {
			got := regexp.MustCompile(m.version).FindSubmatch(src)
			if got == nil || string(got[1]) != version {
				t.Errorf("%s: version %q, want %s", m.path, got, version)
			}
		}
		if m.license != "" && !regexp.MustCompile(m.license).Match(src) {
			t.Errorf("%s: no MIT licence (want /%s/)", m.path, m.license)
		}
	}
}
