//go:build !unix

package phpstream

import "os"

// plainDir is a plain directory's listing where there is no getdents:
// "." and "..", then the names os.File.Readdirnames returns, in its order.
type plainDir struct {
	path  string
	names []string
	i     int
}

// openPlainDir opens the directory path, whose error is PHP's warning.
func openPlainDir(path string) (DirOps, error) {
	d := &plainDir{path: path}
	if err := d.load(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *plainDir) load() error {
	f, err := os.Open(d.path)
	if err != nil {
		return err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return err
	}
	d.names, d.i = append([]string{".", ".."}, names...), 0
	return nil
}

func (d *plainDir) Readdir(DiagnosticFunc) (string, bool) {
	if d.i >= len(d.names) {
		return "", false
	}
	d.i++
	return d.names[d.i-1], true
}

// Rewind reads the directory again, as rewinddir does.
func (d *plainDir) Rewind(DiagnosticFunc) {
	if d.load() != nil {
		d.names, d.i = nil, 0
	}
}

func (d *plainDir) Close(DiagnosticFunc) { d.names = nil }
