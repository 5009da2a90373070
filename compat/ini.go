package compat

import (
	"fmt"
	"strings"

	"github.com/phpsock/phpsock/internal/phpvalue"
)

// iniSetting is an ini setting the functions of this package read (or
// that stream code commonly branches on), with PHP 8.2 CLI's built-in
// default: what `php -n -r 'var_dump(ini_get("NAME"));'` prints
// (TestIniDefaultsArePHPs checks each against php -n).
type iniSetting struct {
	def string
	// user: ini_set may change it (PHP_INI_ALL); the others are
	// PHP_INI_PERDIR or PHP_INI_SYSTEM, for which ini_set returns false.
	user bool
}

var iniSettings = map[string]iniSetting{
	"default_socket_timeout": {"60", true},
	"user_agent":             {"", true},
	"from":                   {"", true},
	"display_errors":         {"1", true},
	"error_reporting":        {"", true}, // "" until set: error_reporting() is then E_ALL
	"openssl.cafile":         {"", false},
	"openssl.capath":         {"", false},
	"allow_url_fopen":        {"1", false},
}

// iniDefaults returns a fresh table of the defaults.
func iniDefaults() map[string]string {
	m := make(map[string]string, len(iniSettings))
	for k, s := range iniSettings {
		m[k] = s.def
	}
	return m
}

// iniValue is ini_get: the setting's value, ok false for a setting this
// package does not know (PHP's false for an unknown name). Known are
// default_socket_timeout, user_agent, from, display_errors,
// error_reporting, openssl.cafile, openssl.capath and allow_url_fopen.
func (rt *Runtime) iniValue(name string) (value string, ok bool) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	value, ok = rt.ini[name]
	return value, ok
}

// iniSetUser is ini_set: it sets the setting and returns its old value,
// ok false (PHP's false) for an unknown setting or one ini_set may not
// change (openssl.cafile, openssl.capath: PHP_INI_PERDIR; allow_url_fopen:
// PHP_INI_SYSTEM). Setting error_reporting sets error_reporting().
func (rt *Runtime) iniSetUser(name, value string) (old string, ok bool) {
	if s, known := iniSettings[name]; !known || !s.user {
		return "", false
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	old = rt.ini[name]
	rt.setIniLocked(name, value)
	return old, true
}

// SetIni sets a setting as php's -d option does at startup, also those
// ini_set may not change (a case's "ini" of the conformance runner, a
// server's php.ini). Unknown settings are an error, and so is turning
// allow_url_fopen off, which this package does not honour.
func (rt *Runtime) SetIni(name, value string) error {
	if _, known := iniSettings[name]; !known {
		return fmt.Errorf("compat: unknown ini setting %q", name)
	}
	if name == "allow_url_fopen" && !iniBool(value) {
		return fmt.Errorf("compat: allow_url_fopen cannot be turned off")
	}
	rt.mu.Lock()
	rt.setIniLocked(name, value)
	rt.mu.Unlock()
	return nil
}

// setIniLocked stores a value; rt.mu is held.
func (rt *Runtime) setIniLocked(name, value string) {
	rt.ini[name] = value
	switch name {
	case "error_reporting":
		rt.errors.reporting = int(phpvalue.Int(value))
	case "default_socket_timeout":
		rt.socketTimeout.Store(phpvalue.Int(value))
	}
}

// ini1 is an ini value the runtime's functions read.
func (rt *Runtime) ini1(name string) string {
	v, _ := rt.iniValue(name)
	return v
}

// iniBool reads a boolean ini value as PHP's OnUpdateBool does: "on",
// "yes" and "true" (any case) are true, anything else is its integer.
func iniBool(v string) bool {
	switch strings.ToLower(v) {
	case "on", "yes", "true":
		return true
	}
	return phpvalue.Int(v) != 0
}

// displayErrors reads display_errors as PHP does
// (php_get_display_errors_mode): "stderr" and "stdout" display too.
func displayErrors(v string) bool {
	if strings.EqualFold(v, "stderr") || strings.EqualFold(v, "stdout") {
		return true
	}
	return iniBool(v)
}

func init() {
	functions["ini_get"] = iniGet
	functions["ini_set"] = iniSet
}

// iniGet is ini_get(string $option): string|false.
func iniGet(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	name, _, err := c.str(0, param{name: "option"})
	if err != nil {
		return nil, err
	}
	if v, ok := c.rt.iniValue(name); ok {
		return v, nil
	}
	return false, nil
}

// iniSet is ini_set(string $option, string|int|float|bool|null $value):
// string|false. The value is converted as a string parameter is, null
// being "" (the union type takes it without a deprecation).
func iniSet(c *call) (Value, error) {
	if err := c.arity(2, 2); err != nil {
		return nil, err
	}
	name, _, err := c.str(0, param{name: "option"})
	if err != nil {
		return nil, err
	}
	var value string
	switch c.arg(1).(type) {
	case nil:
	case string, bool, int64, float64:
		value, _, _ = c.str(1, param{name: "value"})
	default:
		// PHP's text names no given type here (recorded: ini/set-values).
		return nil, &Error{Class: "TypeError", Message: "ini_set(): Argument #2 ($value) must be of type string|int|float|bool|null"}
	}
	if old, ok := c.rt.iniSetUser(name, value); ok {
		return old, nil
	}
	return false, nil
}
