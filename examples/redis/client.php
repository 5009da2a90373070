<?php
// A Redis client written as PHP code in the wild writes one (Predis'
// StreamConnection, the RESP clients of frameworks): a persistent
// connection from pfsockopen or stream_socket_client with
// STREAM_CLIENT_PERSISTENT, stream_set_timeout for the read timeout, RESP
// requests written with fwrite, replies read with fgets and fread, and the
// timeout seen in stream_get_meta_data()['timed_out'].
//
// Usage: php client.php SCENARIO HOST PORT CERTDIR
// main.go is its line-by-line Go port; main_test.go runs both against the
// same redis-server (plain and --tls-port), stunnel4 in front of it, and
// nginx, and compares their transcripts.

require __DIR__ . '/../internal/livetest/transcript.php';

[, $scenario, $host, $port, $certs] = $argv;
$port = (int)$port;

// resp encodes a command as a RESP array of bulk strings.
function resp(array $args): string
{
    $out = '*' . count($args) . "\r\n";
    foreach ($args as $arg) {
        $arg = (string)$arg;
        $out .= '$' . strlen($arg) . "\r\n" . $arg . "\r\n";
    }
    return $out;
}

// meta prints the parts of stream_get_meta_data a client looks at.
function meta($fp): void
{
    $m = stream_get_meta_data($fp);
    out('meta', ['timed_out' => $m['timed_out'], 'blocked' => $m['blocked'], 'eof' => $m['eof']]);
}

// readReply reads one RESP reply: a status, an error, an integer, a bulk
// string (read with fread until complete) or an array of replies. A
// failed read prints the stream's state and returns false.
function readReply($fp): mixed
{
    $line = fgets($fp);
    if ($line === false) {
        out('fgets', false);
        meta($fp);
        return false;
    }
    $type = $line[0];
    $payload = substr($line, 1, -2);
    switch ($type) {
        case '+':
            return $payload;
        case '-':
            return 'ERROR ' . $payload;
        case ':':
            return (int)$payload;
        case '$':
            $size = (int)$payload;
            if ($size === -1) {
                return null;
            }
            $bulk = '';
            $left = $size + 2;
            while ($left > 0) {
                $chunk = fread($fp, $left);
                if ($chunk === false || $chunk === '') {
                    out('fread', $chunk);
                    meta($fp);
                    return false;
                }
                $bulk .= $chunk;
                $left -= strlen($chunk);
            }
            return substr($bulk, 0, -2);
        case '*':
            $count = (int)$payload;
            if ($count === -1) {
                return null;
            }
            $items = [];
            for ($i = 0; $i < $count; $i++) {
                $items[] = readReply($fp);
            }
            return $items;
    }
    out('protocol error', $line);
    return false;
}

// command sends one command and prints the bytes written and the reply.
function command($fp, string ...$args): mixed
{
    $name = implode(' ', array_slice($args, 0, 2));
    out("> $name", fwrite($fp, resp($args)));
    $reply = readReply($fp);
    out("< $name", $reply);
    return $reply;
}

// tlsContext is the ssl context a client passes for the TLS port: the
// test CA and the name localhost, unless $ssl says otherwise (null: unset).
function tlsContext(string $certs, array $ssl)
{
    $ssl += ['cafile' => $certs . '/ca.pem', 'peer_name' => 'localhost'];
    return stream_context_create(['ssl' => array_filter($ssl, fn($v) => $v !== null)]);
}

// tlsConnect connects to a TLS port with the given ssl options and pings.
function tlsConnect(string $host, int $port, string $certs, array $ssl): void
{
    $fp = stream_socket_client("tls://$host:$port", $errno, $errstr, 5,
        STREAM_CLIENT_CONNECT, tlsContext($certs, $ssl));
    out('stream_socket_client', $fp);
    out('errno', $errno);
    out('errstr', $errstr);
    if ($fp === false) {
        return;
    }
    out('crypto', stream_get_meta_data($fp)['crypto']);
    command($fp, 'PING');
    out('fclose', fclose($fp));
}

switch ($scenario) {
    case 'commands':
        // A persistent connection, as phpredis' pconnect and Predis'
        // persistent option open one, reused by the next pfsockopen.
        $fp = pfsockopen($host, $port, $errno, $errstr, 5);
        out('pfsockopen', $fp);
        out('set_timeout', stream_set_timeout($fp, 5));
        $id = command($fp, 'CLIENT', 'ID');
        foreach ([
            ['PING'],
            ['FLUSHDB'],
            ['SET', 'example:key', "value with\r\nCRLF and \0 NUL"],
            ['GET', 'example:key'],
            ['GET', 'example:missing'],
            ['INCR', 'example:counter'],
            ['INCRBY', 'example:counter', '41'],
            ['RPUSH', 'example:list', 'a', 'bb', ''],
            ['LRANGE', 'example:list', '0', '-1'],
            ['NOSUCHCOMMAND', 'x'],
            ['SET', 'example:big', str_repeat('0123456789', 10000)],
            ['STRLEN', 'example:big'],
        ] as $cmd) {
            command($fp, ...$cmd);
        }
        $fp2 = pfsockopen($host, $port, $errno, $errstr, 5);
        out('pfsockopen again', $fp2);
        out('same stream', $fp2 === $fp);
        out('same connection', command($fp2, 'CLIENT', 'ID') === $id);
        // stream_socket_client's persistent key is the address: a second
        // persistent connection, reused by the same address.
        $fp3 = stream_socket_client("tcp://$host:$port", $errno, $errstr, 5,
            STREAM_CLIENT_CONNECT | STREAM_CLIENT_PERSISTENT);
        out('stream_socket_client persistent', $fp3);
        $id3 = command($fp3, 'CLIENT', 'ID');
        out('same connection', $id3 === $id);
        $fp4 = stream_socket_client("tcp://$host:$port", $errno, $errstr, 5,
            STREAM_CLIENT_CONNECT | STREAM_CLIENT_PERSISTENT);
        out('same connection again', command($fp4, 'CLIENT', 'ID') === $id3);
        meta($fp);
        command($fp, 'QUIT');
        usleep(100000); // the server closes the connection after its reply
        out('feof', feof($fp));
        out('fgets after QUIT', fgets($fp));
        meta($fp);
        break;

    case 'blpop':
        // A blocking pop: the server's timeout (0.2 s) comes first and it
        // answers a null array; then one longer than the client's read
        // timeout (0.5 s): the read times out.
        $fp = stream_socket_client("tcp://$host:$port", $errno, $errstr, 5);
        out('stream_socket_client', $fp);
        command($fp, 'DEL', 'example:queue');
        out('set_timeout', stream_set_timeout($fp, 3));
        command($fp, 'BLPOP', 'example:queue', '0.2');
        out('set_timeout', stream_set_timeout($fp, 0, 500000));
        command($fp, 'BLPOP', 'example:queue', '0');
        out('feof', feof($fp));
        // The reply is still owed: a client must drop the connection.
        out('fclose', fclose($fp));
        break;

    case 'paused':
        // The server is stopped (SIGSTOP): the kernel accepts the
        // connection, nobody answers.
        $fp = stream_socket_client("tcp://$host:$port", $errno, $errstr, 5);
        out('stream_socket_client', $fp);
        out('set_timeout', stream_set_timeout($fp, 0, 500000));
        command($fp, 'PING');
        out('fgets again', fgets($fp));
        meta($fp);
        out('fclose', fclose($fp));
        break;

    case 'killed':
        // The connection is killed (CLIENT KILL from a second connection)
        // while it waits in BLPOP; pfsockopen then notices the dead
        // persistent connection and opens a new one.
        $fp = pfsockopen($host, $port, $errno, $errstr, 5);
        out('pfsockopen', $fp);
        out('set_timeout', stream_set_timeout($fp, 5));
        $id = command($fp, 'CLIENT', 'ID');
        out('> BLPOP', fwrite($fp, resp(['BLPOP', 'example:never', '0'])));
        $admin = fsockopen($host, $port, $errno, $errstr, 5);
        out('fsockopen', $admin);
        usleep(100000);
        command($admin, 'CLIENT', 'KILL', 'ID', (string)$id);
        out('< BLPOP', readReply($fp));
        out('feof', feof($fp));
        out('fwrite to a closed connection', fwrite($fp, resp(['PING'])));
        usleep(200000);
        out('fwrite again', fwrite($fp, resp(['PING'])));
        meta($fp);
        $fp2 = pfsockopen($host, $port, $errno, $errstr, 5);
        out('pfsockopen again', $fp2);
        out('same connection', command($fp2, 'CLIENT', 'ID') === $id);
        out('fclose', fclose($admin));
        break;

    case 'refused':
        $fp = pfsockopen($host, $port, $errno, $errstr, 5);
        out('pfsockopen', $fp);
        out('errno', $errno);
        out('errstr', $errstr);
        $fp = stream_socket_client("tcp://$host:$port", $errno, $errstr, 5,
            STREAM_CLIENT_CONNECT | STREAM_CLIENT_PERSISTENT);
        out('stream_socket_client', $fp);
        out('errno', $errno);
        out('errstr', $errstr);
        break;

    case 'tls':
        // The TLS port, verified against the test CA, persistent.
        $ctx = tlsContext($certs, []);
        $fp = stream_socket_client("tls://$host:$port", $errno, $errstr, 5,
            STREAM_CLIENT_CONNECT | STREAM_CLIENT_PERSISTENT, $ctx);
        out('stream_socket_client', $fp);
        $m = stream_get_meta_data($fp);
        out('stream_type', $m['stream_type']);
        out('crypto', $m['crypto']);
        out('set_timeout', stream_set_timeout($fp, 0, 500000));
        foreach ([
            ['CLIENT', 'ID'],
            ['SET', 'example:tls', 'over TLS'],
            ['GET', 'example:tls'],
            ['BLPOP', 'example:never', '0'],
        ] as $cmd) {
            command($fp, ...$cmd);
        }
        out('fgets', fgets($fp));
        meta($fp);
        $fp2 = stream_socket_client("tls://$host:$port", $errno, $errstr, 5,
            STREAM_CLIENT_CONNECT | STREAM_CLIENT_PERSISTENT, $ctx);
        out('same stream', $fp2 === $fp);
        break;

    case 'tls-no-cafile':
        // No cafile: the system's CAs do not know the test CA.
        tlsConnect($host, $port, $certs, ['cafile' => null]);
        break;

    case 'tls-wrong-name':
        tlsConnect($host, $port, $certs, ['peer_name' => 'redis.example']);
        break;

    case 'tls-no-verify':
        tlsConnect($host, $port, $certs, ['cafile' => null, 'verify_peer' => false]);
        break;

    case 'tls12':
        tlsConnect($host, $port, $certs, ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT]);
        break;

    case 'tls13':
        tlsConnect($host, $port, $certs, ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT]);
        break;

    case 'tls12-cipher':
        tlsConnect($host, $port, $certs, [
            'crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT,
            'ciphers' => 'ECDHE-RSA-AES128-GCM-SHA256',
        ]);
        break;

    case 'plain-to-tls':
        // Plain text to the TLS port: the server drops the connection.
        $fp = stream_socket_client("tcp://$host:$port", $errno, $errstr, 5);
        out('stream_socket_client', $fp);
        out('set_timeout', stream_set_timeout($fp, 5));
        command($fp, 'PING');
        out('feof', feof($fp));
        break;

    case 'ssl-to-plain':
        // ssl:// to a port that speaks plain text (nginx's HTTP port
        // answers the ClientHello with a 400 page).
        $fp = stream_socket_client("ssl://$host:$port", $errno, $errstr, 5,
            STREAM_CLIENT_CONNECT, tlsContext($certs, []));
        out('stream_socket_client', $fp);
        out('errno', $errno);
        out('errstr', $errstr);
        break;

    default:
        fwrite(STDERR, "unknown scenario $scenario\n");
        exit(2);
}
