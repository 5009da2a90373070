<?php
// tempbulk BYTES: write BYTES into php://temp in 8192-byte fwrites (it
// spills to a temporary file past 2 MiB), rewind, and read it back with
// fread(8192) until feof, checking the count. MB/s counts both passes.
require __DIR__ . '/common.php';

[$bytes] = arguments(1, 'BYTES');
$bytes = (int)$bytes;
$chunk = str_repeat('0123456789abcdef', 512);
$start = microtime(true);
$cpu = cpu_seconds();
$f = fopen('php://temp', 'w+');
for ($left = $bytes; $left > 0; $left -= 8192) {
    $w = fwrite($f, $left >= 8192 ? $chunk : substr($chunk, 0, $left));
    if ($w === false) {
        failed('fwrite failed');
    }
}
rewind($f);
$got = 0;
while (!feof($f)) {
    $d = fread($f, 8192);
    if ($d === false) {
        failed('fread failed');
    }
    $got += strlen($d);
}
fclose($f);
if ($got !== $bytes) {
    failed("read $got bytes, want $bytes");
}
report($start, $cpu, 2 * $bytes / 1e6, 'MB/s', "bytes=$bytes");
