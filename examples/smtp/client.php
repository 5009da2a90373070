<?php
// An SMTP client with STARTTLS, written as PHPMailer's SMTP class writes
// it: stream_socket_client with a context, the reply read by get_lines
// (stream_select, then fgets, then stream_get_meta_data's timed_out), and
// STARTTLS turned on with the crypto method PHPMailer chooses
// (STREAM_CRYPTO_METHOD_TLS_CLIENT | TLSv1_2 | TLSv1_1). main.go is its
// line-by-line port to Go.
//
// Usage: php client.php HOST PORT CAFILE PEER_NAME TIMELIMIT
// (CAFILE "" for none; TIMELIMIT in seconds, for stream_select and
// stream_set_timeout.)

require __DIR__ . '/../internal/livetest/transcript.php';

[, $host, $port, $cafile, $peerName, $timelimit] = $argv;
$port = (int)$port;
$timelimit = (int)$timelimit;

// get_lines reads one reply, which may span several lines ("250-..."
// up to "250 ..."), as PHPMailer's SMTP::get_lines does.
function get_lines($conn, int $timelimit): string
{
    $data = '';
    $endtime = time() + $timelimit;
    $selR = [$conn];
    $selW = null;
    while (is_resource($conn) && !feof($conn)) {
        $n = stream_select($selR, $selW, $selW, $timelimit);
        if (!$n) {
            out('stream_select', $n);
            break;
        }
        $str = @fgets($conn, 515);
        out('fgets', $str);
        $data .= $str;
        if (!isset($str[3]) || $str[3] === ' ' || $str[3] === "\r" || $str[3] === "\n") {
            break;
        }
        $info = stream_get_meta_data($conn);
        if ($info['timed_out']) {
            out('timed_out', $info['timed_out']);
            break;
        }
        if ($endtime && time() > $endtime) {
            break;
        }
    }
    return $data;
}

// command sends one command and reads its reply; it is true when the
// reply's code is the expected one, as PHPMailer's sendCommand.
function command($conn, int $timelimit, string $line, int $expect): bool
{
    out('fwrite', fwrite($conn, $line . "\r\n"));
    $reply = get_lines($conn, $timelimit);
    $code = (int)substr($reply, 0, 3);
    if ($code !== $expect) {
        out('unexpected', $reply);
        return false;
    }
    return true;
}

function session($conn, int $timelimit): bool
{
    $greeting = get_lines($conn, $timelimit);
    if ((int)substr($greeting, 0, 3) !== 220) {
        return false;
    }
    if (!command($conn, $timelimit, 'EHLO client.test', 250)) {
        return false;
    }
    if (!command($conn, $timelimit, 'STARTTLS', 220)) {
        return false;
    }
    $crypto_method = STREAM_CRYPTO_METHOD_TLS_CLIENT;
    if (defined('STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT')) {
        $crypto_method |= STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT;
        $crypto_method |= STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT;
    }
    $crypto_ok = stream_socket_enable_crypto($conn, true, $crypto_method);
    out('stream_socket_enable_crypto', $crypto_ok);
    if (!$crypto_ok) {
        return false;
    }
    $meta = stream_get_meta_data($conn);
    out('crypto', $meta['crypto']);
    if (!command($conn, $timelimit, 'EHLO client.test', 250)) {
        return false;
    }
    if (!command($conn, $timelimit, 'MAIL FROM:<php@client.test>', 250)) {
        return false;
    }
    if (!command($conn, $timelimit, 'RCPT TO:<someone@example.net>', 250)) {
        return false;
    }
    if (!command($conn, $timelimit, 'DATA', 354)) {
        return false;
    }
    $message = "From: php@client.test\r\nTo: someone@example.net\r\nSubject: live test\r\n\r\nHello.\r\n..a dot-stuffed line\r\n";
    out('fwrite', fwrite($conn, $message));
    if (!command($conn, $timelimit, '.', 250)) {
        return false;
    }
    return command($conn, $timelimit, 'QUIT', 221);
}

$options = ['ssl' => ['peer_name' => $peerName]];
if ($cafile !== '') {
    $options['ssl']['cafile'] = $cafile;
}
$context = stream_context_create($options);
$errno = 0;
$errstr = '';
$conn = stream_socket_client($host . ':' . $port, $errno, $errstr, $timelimit, STREAM_CLIENT_CONNECT, $context);
out('stream_socket_client', $conn);
out('errno', $errno);
out('errstr', $errstr);
if (!is_resource($conn)) {
    exit(0);
}
out('stream_set_timeout', stream_set_timeout($conn, $timelimit, 0));
out('session', session($conn, $timelimit));
$meta = stream_get_meta_data($conn);
out('timed_out', $meta['timed_out']);
out('eof', $meta['eof']);
out('fclose', fclose($conn));
