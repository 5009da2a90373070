<?php
// Records what PHP 8.2's glob() (glob(3) with no flags, as the glob://
// wrapper calls it) and fnmatch() with FNM_PERIOD answer, for
// TestGlobMatchesPHP. Regenerate with:
//
//	php phpstream/testdata/glob.php > phpstream/testdata/glob.json
$files = ['a.txt', 'b.txt', 'B.txt', 'c.log', '.hid', '*x', '[a]', 'a-b', 'x]y', 'é.txt',
    'sub/x1', 'sub/.y', 'sab/x2', 'sab/deep/z', 'd.d/k'];
$dirs = ['sub', 'sab', 'sab/deep', 'd.d', 'empty'];
$root = sys_get_temp_dir() . '/phpsock-glob-' . getmypid();
mkdir($root);
foreach ($dirs as $d) { mkdir("$root/$d"); }
foreach ($files as $f) { file_put_contents("$root/$f", ''); }
chdir($root);
$patterns = ['*', '*.txt', '?.txt', '[ab].txt', '[!a].txt', '[^a]*', '[a-b]*', '[[:upper:]]*',
    '[[:alpha:]].*', '*/', 's*/', '*/x*', 's?b/*', '.*', '*hid', '\\*x', '[*]x', '\\[a]', '[a]',
    '[', 'a.txt', 'nonexist', 'sub', 'sub/', '[]a]*', '*[', '[z-a]*', '[.]hid', '?hid', '[]', '**',
    'c.lo?', 's*b/x[0-9]', '*/*/*', 'sab/*/', 'sub/*', 'sub/.*', '*.d/*', 'x]*', '[x]]y', 'a\\-b',
    '[a\\-]*', '[!]]*', '*[!t]', 'empty/*', './*.log', 'sub//x1', '/nonexistent-root/*', '[[:digit:]]*',
    'é*', '[[:bogus:]]*', 'sab/deep/../x*'];
$glob = [];
foreach ($patterns as $p) { $glob[] = [$p, glob($p)]; }
$names = ['a', '.a', 'ab', 'a.b', '.', '..', '[', ']', '*', '\\', 'A', 'a-b', '', 'abc', 'x]y'];
$fpatterns = ['*', '?', '.*', '?*', '[.]a', '\\.a', 'a*', '*b', 'a?b', '[!a]', '[^a]b', '[a-c]*',
    '[]]', '[!]]', '[[]', '\\*', '\\\\', '[\\]]', '*[', '[', 'a[', '[z-a]', '[[:alpha:]]', '[[:punct:]]',
    'a\\', '', '[a-]', '[-a]', 'x[]]y', 'x]y', '*.*'];
$fn = [];
foreach ($fpatterns as $p) {
    foreach ($names as $n) { $fn[] = [$p, $n, fnmatch($p, $n, FNM_PERIOD)]; }
}
// Pairs that are not UTF-8, base64-encoded.
$raw = [];
foreach (["*", "?", "\xff", "[\x80-\xff]", "[[:alpha:]]", "a*", "?\xff", "\xc3?", "[!a]"] as $p) {
    foreach (["\xff", "a\xff", "\xc3\xa9", "\xc3", "\xe9", "a"] as $n) {
        $raw[] = [base64_encode($p), base64_encode($n), fnmatch($p, $n, FNM_PERIOD)];
    }
}
foreach (array_reverse($files) as $f) { unlink("$root/$f"); }
foreach (array_reverse($dirs) as $d) { rmdir("$root/$d"); }
rmdir($root);
echo json_encode(['php' => PHP_VERSION, 'files' => $files, 'dirs' => $dirs, 'glob' => $glob, 'fnmatch' => $fn, 'fnmatch_b64' => $raw],
    JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
