package repolinks

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository, two levels up from this package.
const root = "../.."

// skipDirs are build outputs and caches, not sources.
var skipDirs = map[string]bool{".git": true, "out": true, "target": true, "build-cmake": true,
	"__pycache__": true, ".pytest_cache": true}

// textFiles lists the repository's source and document files.
func textFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".c", ".h", ".m", ".java", ".py", ".sh", ".md", ".txt", ".toml", ".xml", ".in", ".podspec", ".map":
			files = append(files, path)
		}
		if d.Name() == "Makefile" || d.Name() == "CMakeLists.txt" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found only %d files under %s", len(files), root)
	}
	return files
}

// notesRef matches the names of design notes that live outside the
// repository, and the section marks ("§4.10") that cited them; RFC
// sections ("RFC 8305 §5") are real references and stay.
var notesRef = regexp.MustCompile(`reference/[a-z-]+\.md|\b(STYLE|DESIGN)\.md|\btoolchain\.md|\bpeers\.md|\bmars-(stn|xlog)\.md|DESIGN principle|§`)
var rfcSection = regexp.MustCompile(`RFC\s*(//\s*)?\d+\s*(//\s*)?§`)

func TestNoReferenceToNotesOutsideTheRepository(t *testing.T) {
	self, _ := filepath.Abs("links_test.go")
	for _, f := range textFiles(t) {
		if abs, _ := filepath.Abs(f); abs == self {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := rfcSection.ReplaceAllString(string(src), "RFC")
		for i, line := range strings.Split(text, "\n") {
			if m := notesRef.FindString(line); m != "" {
				t.Errorf("%s:%d: %q points outside the repository: %s", f, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}

// mdLink matches a relative Markdown link target.
var mdLink = regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`)

func TestMarkdownLinksResolve(t *testing.T) {
	n := 0
	for _, f := range textFiles(t) {
		if filepath.Ext(f) != ".md" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(src), -1) {
			n++
			target := filepath.Join(filepath.Dir(f), m[1])
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s: link %q: %v", f, m[1], err)
			}
		}
	}
	if n < 10 {
		t.Errorf("checked only %d links", n)
	}
}
