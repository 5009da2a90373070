package compat

// The typed directory functions (see typed.go for the conventions). A
// nil dirHandle is PHP's null: the default directory, the one the last
// Opendir opened until Closedir closes it.

// Opendir is PHP's
//
//	opendir(string $directory, ?resource $context = null): resource|false
//
// nil is false (after PHP's warning). context nil is PHP's null.
func (rt *Runtime) Opendir(directory string, context *Resource) (*Resource, error) {
	return resourceResult(rt.Call("opendir", directory, nullableRes(context)))
}

// Readdir is PHP's
//
//	readdir(?resource $dir_handle = null): string|false
//
// ok is false at the end of the listing.
func (rt *Runtime) Readdir(dirHandle *Resource) (name string, ok bool, err error) {
	return stringOrFalse(rt.Call("readdir", nullableRes(dirHandle)))
}

// Rewinddir is PHP's
//
//	rewinddir(?resource $dir_handle = null): void
func (rt *Runtime) Rewinddir(dirHandle *Resource) error {
	_, err := rt.Call("rewinddir", nullableRes(dirHandle))
	return err
}

// Closedir is PHP's
//
//	closedir(?resource $dir_handle = null): void
func (rt *Runtime) Closedir(dirHandle *Resource) error {
	_, err := rt.Call("closedir", nullableRes(dirHandle))
	return err
}

// Scandir is PHP's
//
//	scandir(string $directory, int $sorting_order = SCANDIR_SORT_ASCENDING,
//	    ?resource $context = null): array|false
//
// ok is false where PHP returns false. Both optional parameters are
// given: SCANDIR_SORT_ASCENDING and nil are PHP's defaults.
func (rt *Runtime) Scandir(directory string, sortingOrder ScandirOrder, context *Resource) (names []string, ok bool, err error) {
	v, err := rt.Call("scandir", directory, int64(sortingOrder), nullableRes(context))
	if err != nil {
		return nil, false, err
	}
	a, isArray := v.(*Array)
	if !isArray {
		return nil, false, nil
	}
	return stringList(a), true, nil
}
