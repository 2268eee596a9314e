package main

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// exportedSignatures maps each //export name in the capi sources that the
// build tag expression keep accepts to its parameter and result types.
func exportedSignatures(t *testing.T, keep func(constraint.Expr) bool) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	sigs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		var expr constraint.Expr
		if line, _, ok := strings.Cut(string(src), "\n"); ok && constraint.IsGoBuild(line) {
			if expr, err = constraint.Parse(line); err != nil {
				t.Fatal(err)
			}
		}
		if !keep(expr) {
			continue
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Doc == nil || !strings.HasPrefix(fn.Doc.List[len(fn.Doc.List)-1].Text, "//export ") {
				continue
			}
			sigs[fn.Name.Name] = typesOf(src, fset, fn.Type)
		}
	}
	return sigs
}

// typesOf renders a function type's parameter and result types, leaving out
// the names (the stubs name none).
func typesOf(src []byte, fset *token.FileSet, ft *ast.FuncType) string {
	text := func(n ast.Node) string {
		return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
	}
	var b strings.Builder
	for _, f := range ft.Params.List {
		for range max(len(f.Names), 1) {
			b.WriteString(text(f.Type) + ",")
		}
	}
	b.WriteString(" -> ")
	for _, f := range ft.Results.List {
		b.WriteString(text(f.Type))
	}
	return b.String()
}

func withTag(tag bool) func(constraint.Expr) bool {
	return func(e constraint.Expr) bool {
		return e == nil || e.Eval(func(t string) bool { return t == "mars_xlog_only" && tag })
	}
}

// TestXlogOnlyStubsMatchFullExports: every export the xlog-only build lacks
// compared with the full build (the STN entry points) has a stub in
// stn_stubs.go with the same C signature, and the stubs export nothing the
// full build does not. A new mars_stn_* function forgotten in the stubs
// fails here, not only in `make lib-xlog`.
func TestXlogOnlyStubsMatchFullExports(t *testing.T) {
	full := exportedSignatures(t, withTag(false))
	xlogOnly := exportedSignatures(t, withTag(true))
	if len(full) == 0 || len(xlogOnly) == 0 {
		t.Fatalf("found %d full and %d xlog-only exports: the parser missed them", len(full), len(xlogOnly))
	}
	if !reflect.DeepEqual(full, xlogOnly) {
		for name, sig := range full {
			if xlogOnly[name] != sig {
				t.Errorf("xlog-only build: %s is %q, full build %q", name, xlogOnly[name], sig)
			}
		}
		for name := range xlogOnly {
			if _, ok := full[name]; !ok {
				t.Errorf("xlog-only build exports %s, the full build does not", name)
			}
		}
	}
}
