// Command apistat counts the exported names of a package: top-level
// funcs, types, vars and consts, methods of exported types, exported
// struct fields and interface methods, over the package's non-test files
// for every GOOS and GOARCH at once (a name declared in several
// build-tagged files counts once). It is how the exported-name counts of
// issue 14 were measured:
//
//	go run ./tools/apistat phpstream      # the counts
//	go run ./tools/apistat phpstream -v   # and every name
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: apistat DIR [-v]")
		os.Exit(2)
	}
	dir := os.Args[1]
	verbose := len(os.Args) > 2 && os.Args[2] == "-v"
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	counts := map[string]int{}
	var names []string
	seen := map[string]bool{}
	add := func(kind, name string) {
		if seen[kind+" "+name] {
			return
		}
		seen[kind+" "+name] = true
		counts[kind]++
		names = append(names, kind+" "+name)
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() {
						continue
					}
					if d.Recv == nil {
						add("func", d.Name.Name)
					} else {
						t := d.Recv.List[0].Type
						if s, ok := t.(*ast.StarExpr); ok {
							t = s.X
						}
						if ix, ok := t.(*ast.IndexExpr); ok {
							t = ix.X
						}
						if id, ok := t.(*ast.Ident); ok && id.IsExported() {
							rn := id.Name
							add("method", rn+"."+d.Name.Name)
						}
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							add("type", s.Name.Name)
							if st, ok := s.Type.(*ast.StructType); ok {
								for _, fl := range st.Fields.List {
									for _, n := range fl.Names {
										if n.IsExported() {
											add("field", s.Name.Name+"."+n.Name)
										}
									}
								}
							}
							if it, ok := s.Type.(*ast.InterfaceType); ok {
								for _, m := range it.Methods.List {
									for _, n := range m.Names {
										if n.IsExported() {
											add("ifacemethod", s.Name.Name+"."+n.Name)
										}
									}
								}
							}
						case *ast.ValueSpec:
							kind := "var"
							if d.Tok == token.CONST {
								kind = "const"
							}
							for _, n := range s.Names {
								if n.IsExported() {
									add(kind, n.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(names)
	if verbose {
		for _, n := range names {
			fmt.Println(n)
		}
	}
	total := 0
	for _, k := range []string{"func", "type", "var", "const", "method", "field", "ifacemethod"} {
		fmt.Printf("%s=%d ", k, counts[k])
		total += counts[k]
	}
	fmt.Printf("top-level=%d total=%d\n", counts["func"]+counts["type"]+counts["var"]+counts["const"], total)
}
