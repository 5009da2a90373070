package compat

import "strings"

// lookupConstant returns the value of a PHP constant as PHP 8.2 defines it, by
// name as constant() and defined() take it: the constants of the Core,
// standard and openssl groups (constants_php.go, generated from php8.2-cli
// by tools/mkconst), less those that are resources (STDIN...) or name
// paths of the machine PHP was installed on. One leading backslash (the
// global namespace) is allowed, and true, false and null are found in any
// case (recorded: io/constants-by-name).
func lookupConstant(name string) (Value, bool) {
	name = strings.TrimPrefix(name, `\`)
	if v, ok := phpConstants[name]; ok {
		return v, true
	}
	switch strings.ToLower(name) {
	case "true":
		return true, true
	case "false":
		return false, true
	case "null":
		return nil, true
	}
	return nil, false
}

// constant(string $name): mixed
func constantFn(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	name, _, err := c.str(0, param{name: "name"})
	if err != nil {
		return nil, err
	}
	if v, ok := lookupConstant(name); ok {
		return v, nil
	}
	return nil, &Error{Class: "Error", Message: "Undefined constant \"" + strings.TrimPrefix(name, `\`) + "\""}
}

// defined(string $constant_name): bool
func definedFn(c *call) (Value, error) {
	if err := c.arity(1, 1); err != nil {
		return nil, err
	}
	name, _, err := c.str(0, param{name: "constant_name"})
	if err != nil {
		return nil, err
	}
	_, ok := lookupConstant(name)
	return ok, nil
}
