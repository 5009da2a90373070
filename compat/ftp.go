package compat

import (
	"github.com/phpsock/phpsock/phpstream"
)

// This file is what the wrapper operations that are not opens (unlink,
// rmdir, mkdir, rename and the stat functions; phpstream's URLStat,
// Unlink, Rename, Mkdir, Rmdir) take from a call; opens go through
// openURL.

// wrapperOptions are what a wrapper operation of c on url takes:
// openOptions, the call's context (the default context when none was
// given and noDefault is false: php_stat gives url_stat none), what the
// ftp wrapper connects with when url may connect (mayConnect) and the
// runtime's stat cache to clear.
func (c *call) wrapperOptions(url string, noDefault bool) phpstream.OpenOptions {
	o := c.openOptions()
	ctx := c.rt.contextFor(c.openCtx, noDefault)
	if mayConnect(url) {
		c.connectOptions(&o, ctx, nil)
	} else {
		o.Context = ctx
	}
	o.ClearStatCache = c.rt.clearStatCache
	return o
}
