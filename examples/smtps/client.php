<?php
// An SMTPS client (implicit TLS through ssl://), written as PHP mailers
// configured with SMTPOptions write it: the ssl context's options
// (verify_peer, verify_peer_name, allow_self_signed, cafile, peer_name,
// crypto_method) passed to stream_socket_client, then the greeting,
// EHLO and QUIT, each reply read with fgets up to its last line, and the
// end of the stream.
// main.go is its line-by-line port to Go.
//
// Usage: php client.php HOST PORT [OPTION=VALUE ...]
// (HOST as PHPMailer passes it, "ssl://127.0.0.1"; verify_peer,
// verify_peer_name and allow_self_signed take 0 or 1, crypto_method the
// name of a STREAM_CRYPTO_METHOD_* constant.)

require __DIR__ . '/../internal/livetest/transcript.php';

$host = $argv[1];
$port = (int)$argv[2];
$ssl = [];
foreach (array_slice($argv, 3) as $arg) {
    [$name, $value] = explode('=', $arg, 2);
    if ($name === 'verify_peer' || $name === 'verify_peer_name' || $name === 'allow_self_signed') {
        $value = (bool)$value;
    } elseif ($name === 'crypto_method') {
        $value = constant($value);
    }
    $ssl[$name] = $value;
}

// reply reads one reply, every line up to the one without '-' after the code.
function reply($conn): string
{
    $reply = '';
    while (($line = fgets($conn, 515)) !== false) {
        out('fgets', $line);
        $reply .= $line;
        if (substr($line, 3, 1) !== '-') {
            return $reply;
        }
    }
    out('fgets', $line);
    return $reply;
}

$context = stream_context_create(['ssl' => $ssl]);
$errno = 0;
$errstr = '';
$conn = stream_socket_client($host . ':' . $port, $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $context);
out('stream_socket_client', $conn);
out('errno', $errno);
out('errstr', $errstr);
if ($conn === false) {
    exit(0);
}
out('stream_set_timeout', stream_set_timeout($conn, 5));
$meta = stream_get_meta_data($conn);
out('crypto', $meta['crypto']);
reply($conn);
out('fwrite', fwrite($conn, "EHLO client.test\r\n"));
reply($conn);
out('fwrite', fwrite($conn, "QUIT\r\n"));
reply($conn);
// The server closes the connection after its 221: wait for that.
out('fgets', fgets($conn, 515));
out('feof', feof($conn));
out('fclose', fclose($conn));
