package conformance

import "embed"

// Files holds the committed case files (cases/*.json), recordings
// (recorded/*.json) and test certificates (testdata/certs), so the
// conformance check runs from a binary with no files on disk.
//
//go:embed cases/*.json recorded/*.json testdata/certs
var Files embed.FS

// Embedded paths inside Files.
const (
	CasesDir    = "cases"
	RecordedDir = "recorded"
	CertsDir    = "testdata/certs"
)
