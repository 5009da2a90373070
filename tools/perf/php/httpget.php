<?php
// httpget URL N BYTES CAFILE: N times file_get_contents(URL) with an ssl
// context verifying "localhost" against CAFILE (used by https:// URLs),
// each body checked to be BYTES long. One big body gives MB/s; many
// small ones give requests per second.
require __DIR__ . '/common.php';

[$url, $n, $bytes, $cafile] = arguments(4, 'URL N BYTES CAFILE');
$n = (int)$n;
$bytes = (int)$bytes;
$ctx = stream_context_create(['ssl' => ['cafile' => $cafile, 'peer_name' => 'localhost']]);
$start = microtime(true);
$cpu = cpu_seconds();
$total = 0;
for ($i = 0; $i < $n; $i++) {
    $body = file_get_contents($url, false, $ctx);
    if ($body === false || strlen($body) !== $bytes) {
        failed("request $i: got " . ($body === false ? 'false' : strlen($body) . ' bytes') . ", want $bytes");
    }
    $total += strlen($body);
    unset($body);
}
if ($n === 1) {
    report($start, $cpu, $total / 1e6, 'MB/s', "bytes=$total");
} else {
    report($start, $cpu, $n, 'req/s', "n=$n bytes=$total");
}
