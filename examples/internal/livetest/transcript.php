<?php
// The PHP side of examples/internal/livetest: out() writes one transcript
// line per value and the error handler one line per warning, in the
// format of livetest.Transcript (transcript.go), so that a PHP client and
// its Go port print the same text when they behave alike.

declare(strict_types=1);

// tr_escape is addcslashes over the control bytes and 127..255 (and, when
// quoted, '"' and '\'), wrapped in double quotes when quoted.
function tr_escape(string $s, bool $quoted): string
{
    if ($quoted) {
        return '"' . addcslashes($s, "\0..\37\"\\\177..\377") . '"';
    }
    return addcslashes($s, "\0..\37\177..\377");
}

// tr_repr is the one-line form of a value: NULL, true, false, 42,
// var_export's float (1.0, 1.0E+25), "escaped string", [k => v, ...],
// resource(<get_resource_type>), object(<class>).
function tr_repr(mixed $v): string
{
    if ($v === null) {
        return 'NULL';
    }
    if (is_bool($v)) {
        return $v ? 'true' : 'false';
    }
    if (is_int($v)) {
        return (string)$v;
    }
    if (is_float($v)) {
        return var_export($v, true);
    }
    if (is_string($v)) {
        return tr_escape($v, true);
    }
    if (is_array($v)) {
        $parts = [];
        foreach ($v as $k => $x) {
            $parts[] = tr_repr($k) . ' => ' . tr_repr($x);
        }
        return '[' . implode(', ', $parts) . ']';
    }
    if (is_object($v)) {
        if ($v instanceof Throwable) {
            return 'exception(' . get_class($v) . ': ' . tr_escape($v->getMessage(), false) . ')';
        }
        return 'object(' . get_class($v) . ')';
    }
    // A resource, open or closed ("resource (closed)" is not is_resource).
    return 'resource(' . get_resource_type($v) . ')';
}

// out writes "label: <value>".
function out(string $label, mixed $v): void
{
    echo $label, ': ', tr_repr($v), "\n";
}

// Every warning, notice and deprecation becomes one line
// "warning: E_WARNING <text>", as livetest.Transcript.Diagnostics writes it.
set_error_handler(function (int $no, string $str): bool {
    $names = [
        E_WARNING => 'E_WARNING', E_NOTICE => 'E_NOTICE', E_DEPRECATED => 'E_DEPRECATED',
        E_USER_WARNING => 'E_USER_WARNING', E_USER_NOTICE => 'E_USER_NOTICE',
        E_USER_DEPRECATED => 'E_USER_DEPRECATED', E_STRICT => 'E_STRICT',
    ];
    echo 'warning: ', $names[$no] ?? (string)$no, ' ', tr_escape($str, false), "\n";
    return true;
});
