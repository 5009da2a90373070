<?php
// A logging socket handler written as PHP code in the wild writes one
// (Monolog's SocketHandler): fsockopen or pfsockopen with the port in the
// URL and port -1, stream_set_timeout for writes, stream_set_chunk_size,
// fwrite in a loop until the record is sent (checking feof and
// stream_get_meta_data()['timed_out']), and a reconnect when the server
// went away. TLS is verified with openssl.cafile, as fsockopen takes no
// context.
//
// Usage: php [-d openssl.cafile=CAFILE] client.php SCENARIO URL CERTDIR
// main.go is its line-by-line Go port; main_test.go runs both against the
// same log sink (directly and through stunnel4) and compares transcripts.

require __DIR__ . '/../internal/livetest/transcript.php';

final class SocketHandler
{
    private $resource = null;

    public function __construct(
        private string $connectionString,
        private bool $persistent = false,
        private float $timeout = 10.0,
        private float $connectionTimeout = 5.0,
        private ?int $chunkSize = null,
    ) {
    }

    // handle writes one record, connecting first if needed.
    public function handle(string $record): void
    {
        $this->connectIfNotConnected();
        $this->writeToSocket($record);
    }

    public function isConnected(): bool
    {
        return is_resource($this->resource) && !feof($this->resource);
    }

    // close leaves a persistent connection open for the next handler.
    public function close(): void
    {
        if (!$this->persistent) {
            $this->closeSocket();
        }
    }

    public function closeSocket(): void
    {
        if (is_resource($this->resource)) {
            out('fclose', fclose($this->resource));
            $this->resource = null;
        }
    }

    private function connectIfNotConnected(): void
    {
        if ($this->isConnected()) {
            return;
        }
        $this->connect();
    }

    private function connect(): void
    {
        $this->createSocketResource();
        $this->setSocketTimeout();
        $this->setStreamChunkSize();
    }

    private function createSocketResource(): void
    {
        if ($this->persistent) {
            $resource = pfsockopen($this->connectionString, -1, $errno, $errstr, $this->connectionTimeout);
        } else {
            $resource = fsockopen($this->connectionString, -1, $errno, $errstr, $this->connectionTimeout);
        }
        out('connect', $resource);
        if (!is_resource($resource)) {
            throw new UnexpectedValueException("Failed connecting to $this->connectionString ($errno: $errstr)");
        }
        $this->resource = $resource;
    }

    private function setSocketTimeout(): void
    {
        $seconds = floor($this->timeout);
        $microseconds = round(($this->timeout - $seconds) * 1e6);
        if (!stream_set_timeout($this->resource, (int)$seconds, (int)$microseconds)) {
            throw new UnexpectedValueException('Failed setting timeout with stream_set_timeout()');
        }
    }

    private function setStreamChunkSize(): void
    {
        if ($this->chunkSize === null) {
            return;
        }
        $previous = stream_set_chunk_size($this->resource, $this->chunkSize);
        out('stream_set_chunk_size', $previous);
    }

    // writeToSocket writes until every byte is sent, as long as the
    // connection is up and no write timed out.
    private function writeToSocket(string $data): void
    {
        $length = strlen($data);
        $sent = 0;
        while ($this->isConnected() && $sent < $length) {
            if (0 == $sent) {
                $chunk = fwrite($this->resource, $data);
            } else {
                $chunk = fwrite($this->resource, substr($data, $sent));
            }
            out('fwrite', $chunk);
            if ($chunk === false) {
                throw new RuntimeException('Could not write to socket');
            }
            $sent += $chunk;
            $socketInfo = stream_get_meta_data($this->resource);
            if ($socketInfo['timed_out']) {
                throw new RuntimeException('Write timed-out');
            }
        }
        if (!$this->isConnected() && $sent < $length) {
            throw new RuntimeException("End-of-file reached, probably we got disconnected (sent $sent of $length)");
        }
    }
}

// log hands each record to the handler; a failed record is reported and
// the connection dropped, as a logger's error handling does.
function logAll(SocketHandler $handler, array $records): void
{
    foreach ($records as $record) {
        try {
            $handler->handle($record);
            out('logged', strlen($record));
        } catch (Throwable $e) {
            out('exception', $e);
            $handler->closeSocket();
        }
    }
}

[, $scenario, $url, $certs] = $argv;

switch ($scenario) {
    case 'lines':
        // Records of several sizes, written in chunks of 1024 bytes.
        $handler = new SocketHandler($url, chunkSize: 1024);
        logAll($handler, [
            "[2024-01-01T00:00:00+00:00] app.INFO: started [] []\n",
            '[2024-01-01T00:00:01+00:00] app.DEBUG: payload ' . str_repeat('x', 100000) . " [] []\n",
            "[2024-01-01T00:00:02+00:00] app.ERROR: bytes \0\xff\r [] []\n",
        ]);
        $handler->close();
        break;

    case 'reconnect':
        // The sink closes each connection after one line: the handler sees
        // feof and connects again for the next record.
        $handler = new SocketHandler($url);
        foreach (['first', 'second', 'third'] as $message) {
            logAll($handler, ["app.INFO: $message\n"]);
            usleep(200000);
        }
        $handler->close();
        break;

    case 'persistent':
        // Two handlers on one persistent connection (pfsockopen).
        $first = new SocketHandler($url, persistent: true);
        logAll($first, ["app.INFO: from the first handler\n"]);
        $first->close();
        $second = new SocketHandler($url, persistent: true);
        logAll($second, ["app.INFO: from the second handler\n"]);
        $second->close();
        break;

    case 'write-timeout':
        // The sink stops reading: the writes fill the socket buffers and
        // time out after 0.5 s.
        $handler = new SocketHandler($url, timeout: 0.5);
        logAll($handler, [str_repeat('y', 8 << 20) . "\n"]);
        break;

    case 'refused':
        $handler = new SocketHandler($url);
        logAll($handler, ["app.INFO: nobody listens\n"]);
        break;

    case 'tls':
        // TLS verified against openssl.cafile (php -d): fsockopen takes
        // no context, so the ini setting is what a private CA needs.
        $handler = new SocketHandler($url, chunkSize: 4096);
        logAll($handler, ["app.INFO: over TLS\n", str_repeat('z', 50000) . "\n"]);
        $handler->close();
        break;

    case 'tls-default-context':
        // fsockopen does not look at the default context: its cafile is
        // not used.
        out('default context', stream_context_set_default(['ssl' => ['cafile' => "$certs/ca.pem"]]));
        $handler = new SocketHandler($url);
        logAll($handler, ["app.INFO: unverified\n"]);
        break;

    case 'tls-no-cafile':
    case 'tls-wrong-name':
        // No CA the certificate verifies with, or (with openssl.cafile) a
        // certificate for another name.
        $handler = new SocketHandler($url);
        logAll($handler, ["app.INFO: unverified\n"]);
        break;

    default:
        fwrite(STDERR, "unknown scenario $scenario\n");
        exit(2);
}
