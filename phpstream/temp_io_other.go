//go:build !unix

package phpstream

import (
	"io"
	"os"
)

// fileWriteAll is os.File.Write where there is no write(2) to call.
func fileWriteAll(f *os.File, _ int, p []byte) (int, error) { return f.Write(p) }

// fileReadFull reads until p is full or the end of the file (eof).
func fileReadFull(f *os.File, _ int, p []byte) (int, bool, error) {
	n, err := io.ReadFull(f, p)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return n, true, nil
	case err != nil:
		return n, true, err
	}
	return n, false, nil
}

// fileDescriptor has no use where there is no write(2).
func fileDescriptor(*os.File) int { return -1 }
