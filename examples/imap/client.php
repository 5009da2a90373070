<?php
// An IMAP client written as PHP webmail code (Roundcube's
// rcube_imap_generic) writes it: stream_socket_client, stream_set_timeout,
// each response line read with fgets (a false result checked against
// stream_get_meta_data's timed_out), STARTTLS with the crypto method
// STREAM_CRYPTO_METHOD_TLS_CLIENT | TLSv1_1 | TLSv1_2, LOGIN, SELECT,
// a FETCH whose message comes as a literal {N} read with fread, and
// LOGOUT. main.go is its line-by-line port to Go.
//
// Usage: php client.php HOST PORT CAFILE PEER_NAME USER PASSWORD TIMEOUT [CRYPTO_METHOD]
// (CAFILE "" for none; CRYPTO_METHOD the name of a
// STREAM_CRYPTO_METHOD_* constant, to use instead.)

require __DIR__ . '/../internal/livetest/transcript.php';

[, $host, $port, $cafile, $peerName, $user, $password, $timeout] = $argv;
$port = (int)$port;
$timeout = (int)$timeout;
$method = $argv[8] ?? '';

// readLine reads one line; false when the connection ended or timed out.
function readLine($fp)
{
    $line = fgets($fp, 8192);
    out('fgets', $line);
    if ($line === false) {
        $meta = stream_get_meta_data($fp);
        out('timed_out', $meta['timed_out']);
        out('eof', $meta['eof']);
    }
    return $line;
}

// readLiteral reads the {N} bytes of a literal, 8 KiB at most per fread.
function readLiteral($fp, int $bytes): string
{
    $data = '';
    while ($bytes > 0) {
        $d = fread($fp, $bytes > 8192 ? 8192 : $bytes);
        out('fread', $d);
        if ($d === false || $d === '') {
            break;
        }
        $data .= $d;
        $bytes -= strlen($d);
    }
    return $data;
}

// execute sends a tagged command and reads its response up to the tagged
// line; it returns that line's status (OK, NO, BAD), or '' when the
// connection failed. A line ending in {N} announces a literal.
function execute($fp, string $tag, string $command): string
{
    out('fwrite', fwrite($fp, "$tag $command\r\n"));
    while (($line = readLine($fp)) !== false) {
        if (preg_match('/\{(\d+)\}\r\n$/', $line, $m)) {
            out('literal', readLiteral($fp, (int)$m[1]));
            continue;
        }
        if (strncmp($line, "$tag ", strlen($tag) + 1) === 0) {
            $status = explode(' ', $line, 3)[1];
            out('status', $status);
            return $status;
        }
    }
    return '';
}

function session($fp, string $user, string $password, string $method): bool
{
    $greeting = readLine($fp);
    if ($greeting === false || strncmp($greeting, '* OK', 4) !== 0) {
        return false;
    }
    if (execute($fp, 'A1', 'STARTTLS') !== 'OK') {
        return false;
    }
    if ($method !== '') {
        $crypto_method = constant($method);
    } else {
        $crypto_method = STREAM_CRYPTO_METHOD_TLS_CLIENT;
        if (defined('STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT')) {
            $crypto_method |= STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT;
            $crypto_method |= STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT;
        }
    }
    $ok = stream_socket_enable_crypto($fp, true, $crypto_method);
    out('stream_socket_enable_crypto', $ok);
    if (!$ok) {
        return false;
    }
    if (execute($fp, 'A2', 'LOGIN ' . $user . ' ' . $password) !== 'OK') {
        return false;
    }
    if (execute($fp, 'A3', 'SELECT INBOX') !== 'OK') {
        return false;
    }
    if (execute($fp, 'A4', 'FETCH 1 BODY.PEEK[]') !== 'OK') {
        return false;
    }
    return execute($fp, 'A5', 'LOGOUT') === 'OK';
}

$options = ['ssl' => ['peer_name' => $peerName]];
if ($cafile !== '') {
    $options['ssl']['cafile'] = $cafile;
}
$context = stream_context_create($options);
$errno = 0;
$errstr = '';
$fp = stream_socket_client('tcp://' . $host . ':' . $port, $errno, $errstr, $timeout, STREAM_CLIENT_CONNECT, $context);
out('stream_socket_client', $fp);
out('errno', $errno);
out('errstr', $errstr);
if (!$fp) {
    exit(0);
}
out('stream_set_timeout', stream_set_timeout($fp, $timeout));
out('session', session($fp, $user, $password, $method));
out('fclose', fclose($fp));
