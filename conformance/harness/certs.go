package harness

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/phpsock/phpsock/conformance"
)

var certs struct {
	sync.Mutex
	dir string
}

// EmbeddedCerts returns a folder holding the certificates embedded in
// package conformance, writing them to a fresh temporary folder the first
// time it is called in a process. RemoveEmbeddedCerts removes it.
func EmbeddedCerts() (string, error) {
	certs.Lock()
	defer certs.Unlock()
	if certs.dir != "" {
		return certs.dir, nil
	}
	dir, err := os.MkdirTemp("", "phpsock-certs-")
	if err != nil {
		return "", err
	}
	if err := WriteCerts(dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	certs.dir = dir
	return dir, nil
}

// RemoveEmbeddedCerts removes the folder EmbeddedCerts wrote, if any; a
// later EmbeddedCerts writes a new one.
func RemoveEmbeddedCerts() error {
	certs.Lock()
	defer certs.Unlock()
	if certs.dir == "" {
		return nil
	}
	err := os.RemoveAll(certs.dir)
	certs.dir = ""
	return err
}

// WriteCerts copies the embedded certificates into dir, keeping their
// layout (capath/ included). Private keys are written readable by the owner
// only.
func WriteCerts(dir string) error {
	root := conformance.CertsDir
	return fs.WalkDir(conformance.Files, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := p[len(root):]
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(conformance.Files, p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if path.Ext(p) == ".key" {
			mode = 0o600
		}
		return os.WriteFile(dst, data, mode)
	})
}
