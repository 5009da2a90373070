<?php
// Prelude of the wrapper workloads' PHP scripts (tools/perf/wrapperrun runs
// them beside their Go ports). Same output contract as the shared perf
// harness: one line "RESULT <value> <unit> elapsed=<s> cpu=<s> [detail]",
// "SKIP <reason>", or a message on stderr and a non-zero exit.
declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $str): bool {
    failed("PHP error $no: $str");
});

function failed(string $msg): never
{
    fwrite(STDERR, basename($GLOBALS['argv'][0]) . ": $msg\n");
    exit(1);
}

function arguments(int $n, string $usage): array
{
    global $argv;
    if (count($argv) - 1 !== $n) {
        fwrite(STDERR, "usage: php {$argv[0]} $usage\n");
        exit(2);
    }
    return array_slice($argv, 1);
}

function cpu_seconds(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6
         + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

function report(float $start, float $cpu, float $ops, string $unit, string $detail): void
{
    $el = microtime(true) - $start;
    $c = cpu_seconds() - $cpu;
    printf("RESULT %.6g %s elapsed=%.6f cpu=%.6f %s\n", $ops / $el, $unit, $el, $c, $detail);
}
