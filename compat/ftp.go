package compat

import (
	"strings"

	"github.com/phpsock/phpsock/phpstream"
)

// This file routes the file functions that are not opens (unlink, rmdir,
// mkdir, rename and the stat functions) to the ftp wrapper's operations
// (phpstream/ftp.go); opens go through openURL like every wrapper's.

// ftpLabel is the ftp wrapper's label (ftp:// and ftps://).
const ftpLabel = "ftp"

// isFTPScheme reports the schemes of the ftp wrapper.
func isFTPScheme(scheme string) bool {
	return strings.EqualFold(scheme, "ftp") || strings.EqualFold(scheme, "ftps")
}

// ftpOptions are what an ftp operation needs: the call's context (the
// default context when none was given and noDefault is false), a dialer
// of the runtime's, default_socket_timeout and ini from.
func (c *call) ftpOptions(noDefault bool) phpstream.OpenOptions {
	o := c.openOptions()
	saved := c.openCtx
	c.httpOptions(&o, nil)
	if noDefault && saved == nil {
		o.Context = nil
		o.Dialer.OnCrypto = nil // no context to capture peer certificates into
	}
	return o
}
