package compat

import (
	"github.com/phpsock/phpsock/phpstream"
)

// This file is what the wrapper operations that are not opens (unlink,
// rmdir, mkdir, rename and the stat functions; phpstream's URLStat,
// Unlink, Rename, Mkdir, Rmdir) take from a call; opens go through
// openURL.

// wrapperOptions are what a wrapper operation of c takes: openOptions,
// what the ftp wrapper connects with (the call's context, the default
// context when none was given and noDefault is false: php_stat gives
// url_stat none; a dialer of the runtime's, default_socket_timeout and
// ini from) and the runtime's stat cache to clear.
func (c *call) wrapperOptions(noDefault bool) phpstream.OpenOptions {
	o := c.openOptions()
	c.connectOptions(&o, c.rt.contextFor(c.openCtx, noDefault), nil)
	o.ClearStatCache = c.rt.clearStatCache
	return o
}
