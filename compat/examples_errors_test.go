package compat_test

import (
	"fmt"
	"os"

	"github.com/phpsock/phpsock/compat"
)

// A mailer's socket layer ported from PHP: a handler that turns warnings
// into the error it reports, honouring @ as PHP handlers do with
// error_reporting(), and a silenced open whose failure is read back with
// error_get_last. PHP prints the same two lines for
//
//	php -n -r 'chdir(sys_get_temp_dir()); set_error_handler(function($no,$s){
//	    if (!(error_reporting() & $no)) return false; echo "handler: $s\n"; return true; });
//	    fopen("missing/x","r"); @fopen("missing/y","r"); $e = error_get_last();
//	    echo "error_get_last: type {$e["type"]}, {$e["message"]}\n";'
func ExampleRuntime_SetErrorHandler() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	rt := compat.NewRuntime()
	rt.SetDir(dir)
	var lastError string
	rt.SetErrorHandler(func(rt *compat.Runtime, d compat.Diagnostic) bool {
		if level, _ := rt.ErrorReporting(); level&int(d.Level) == 0 {
			return false // silenced with @: PHP's standard handling
		}
		lastError = d.String()
		return true
	}, compat.E_ALL)

	rt.Call("fopen", "missing/x", "r") // fopen("missing/x", "r")
	fmt.Println("handler:", lastError)

	rt.Silence().Call("fopen", "missing/y", "r") // @fopen("missing/y", "r")
	if d, ok, _ := rt.ErrorGetLast(); ok {
		fmt.Printf("error_get_last: type %d, %s\n", d.Level, d)
	}
	// Output:
	// handler: fopen(missing/x): Failed to open stream: No such file or directory
	// error_get_last: type 2, fopen(missing/y): Failed to open stream: No such file or directory
}
