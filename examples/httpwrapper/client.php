<?php
// An HTTP client written as PHP code in the wild writes one (the
// file_get_contents and fopen calls of feed readers, webhook senders and
// update checkers): http:// and https:// URLs with `http` and `ssl`
// context options, the response's status and headers read from
// $http_response_header and stream_get_meta_data()['wrapper_data'].
//
// Usage: php client.php SCENARIO HOST HTTP_PORT HTTPS_PORT CERTDIR
// main.go is its line-by-line Go port; main_test.go runs both against the
// same nginx (a plain and a TLS port) and compares their transcripts.

require __DIR__ . '/../internal/livetest/transcript.php';

[, $scenario, $host, $httpPort, $httpsPort, $certs] = $argv;
$http = "http://$host:$httpPort";
$https = "https://$host:$httpsPort";

// get reads $url with file_get_contents and prints the body and the
// response headers of every response it saw.
function get(string $label, string $url, $ctx): void
{
    $body = file_get_contents($url, false, $ctx);
    out($label, $body);
    out('headers', $http_response_header ?? null);
}

// stream opens $url with fopen, prints wrapper_data, then reads it to the
// end with fread.
function stream(string $label, string $url, $ctx): void
{
    $fp = fopen($url, 'r', false, $ctx);
    out($label, $fp);
    if ($fp === false) {
        return;
    }
    $meta = stream_get_meta_data($fp);
    out('wrapper_type', $meta['wrapper_type']);
    out('wrapper_data', $meta['wrapper_data']);
    out('crypto', $meta['crypto'] ?? null);
    $body = '';
    while (!feof($fp)) {
        $chunk = fread($fp, 5);
        if ($chunk === false) {
            out('fread', false);
            break;
        }
        $body .= $chunk;
    }
    out('body', $body);
    out('fclose', fclose($fp));
}

switch ($scenario) {
    case 'get':
        get('file_get_contents', "$http/hello.txt", null);
        get('range', "$http/hello.txt", stream_context_create(['http' => [
            'header' => "Range: bytes=0-4",
        ]]));
        stream('fopen', "$http/hello.txt", null);
        break;
    case 'redirect':
        get('followed', "$http/old", null);
        get('not-followed', "$http/old", stream_context_create(['http' => ['follow_location' => 0]]));
        stream('fopen', "$http/old", null);
        break;
    case 'loop':
        get('max_redirects 3', "$http/loop", stream_context_create(['http' => ['max_redirects' => 3]]));
        get('max_redirects 1', "$http/loop", stream_context_create(['http' => ['max_redirects' => 1]]));
        break;
    case 'notfound':
        get('plain', "$http/missing", null);
        get('ignore_errors', "$http/missing", stream_context_create(['http' => ['ignore_errors' => true]]));
        stream('fopen', "$http/missing", stream_context_create(['http' => ['ignore_errors' => true]]));
        break;
    case 'chunked':
        $ctx = stream_context_create(['http' => [
            'protocol_version' => 1.1,
            'header' => "Connection: close",
        ]]);
        get('http/1.1', "$http/ssi/page.txt", $ctx);
        stream('fopen http/1.1', "$http/ssi/page.txt", $ctx);
        get('http/1.0', "$http/ssi/page.txt", null);
        break;
    case 'post':
        get('post', "$http/echo", stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: application/x-www-form-urlencoded\r\nX-Demo: yes",
            'content' => http_build_query(['a' => 1, 'b' => 'two words']),
        ]]));
        get('put-no-content', "$http/echo", stream_context_create(['http' => [
            'method' => 'PUT',
            'user_agent' => 'phpsock-example/1.0',
        ]]));
        get('http/1.1, own Host and User-Agent', "$http/echo", stream_context_create(['http' => [
            'protocol_version' => '1.1',
            'header' => "Host: example.test\r\nUser-Agent: from-header/2",
            'user_agent' => 'from-option/1',
        ]]));
        get('content on GET', "$http/echo", stream_context_create(['http' => [
            'content' => 'ignored?',
            'header' => 'Content-Length: 8',
        ]]));
        get('post, 303 to GET', "$http/see-other", stream_context_create(['http' => [
            'method' => 'POST',
            'header' => ['Content-Type: text/plain', 'X-Demo: array'],
            'content' => 'body',
        ]]));
        break;
    case 'functions':
        out('file', file("$http/ssi/page.txt", FILE_IGNORE_NEW_LINES));
        out('headers', $http_response_header);
        out('copy', copy("$http/hello.txt", 'php://memory'));
        out('copy missing', copy("$http/missing", 'php://memory'));
        out('fopen w', fopen("$http/hello.txt", 'w'));
        out('fopen r+', fopen("$http/hello.txt", 'r+'));
        out('file_put_contents', file_put_contents("$http/hello.txt", 'x'));
        out('file_exists', file_exists("$http/hello.txt"));
        break;
    case 'proxy':
        // nginx itself as the proxy: it serves an absolute-form request
        // line, and answers CONNECT (https through a proxy) with an error.
        get('request_fulluri', "$http/hello.txt", stream_context_create(['http' => [
            'proxy' => "tcp://$host:$httpPort",
            'request_fulluri' => true,
        ]]));
        get('https through CONNECT', "$https/hello.txt", stream_context_create([
            'http' => ['proxy' => "tcp://$host:$httpPort"],
            'ssl' => ['cafile' => "$certs/ca.pem"],
        ]));
        break;
    case 'https':
        $ctx = stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
            'peer_name' => 'localhost',
        ]]);
        get('https', "$https/hello.txt", $ctx);
        stream('fopen', "$https/hello.txt", $ctx);
        get('redirect', "$https/old", $ctx);
        get('http to https', "$http/to-https", $ctx);
        break;
    case 'large':
        // 1 MiB, with a Content-Length and then chunked (through SSI).
        $body = file_get_contents("$http/large.bin");
        out('length', strlen($body));
        out('md5', md5($body));
        $body = file_get_contents("$http/ssi/large.txt", false, stream_context_create(['http' => [
            'protocol_version' => 1.1,
            'header' => 'Connection: close',
        ]]));
        out('chunked length', strlen($body));
        out('chunked md5', md5($body));
        out('headers', $http_response_header);
        break;
    case 'https-wrong-name':
        get('wrong peer_name', "$https/hello.txt", stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
            'peer_name' => 'wrong.example',
        ]]));
        get('verify_peer_name off', "$https/hello.txt", stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
            'peer_name' => 'wrong.example',
            'verify_peer_name' => false,
        ]]));
        break;
    case 'https-no-cafile':
        get('no cafile', "$https/hello.txt", null);
        get('verify_peer off', "$https/hello.txt", stream_context_create(['ssl' => [
            'verify_peer' => false,
        ]]));
        break;
    case 'https-to-http-port':
        get('https to the plain port', "https://$host:$httpPort/hello.txt", stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
        ]]));
        break;
    case 'paused':
        // The server accepts (the kernel does) and answers nothing.
        get('timeout 1', "$http/hello.txt", stream_context_create(['http' => ['timeout' => 1]]));
        stream('fopen timeout 0.5', "$http/hello.txt", stream_context_create(['http' => ['timeout' => 0.5]]));
        break;
    case 'refused':
        get('refused', "$http/hello.txt", null);
        stream('fopen', "$http/hello.txt", stream_context_create(['http' => ['timeout' => 5]]));
        break;
    default:
        fwrite(STDERR, "unknown scenario $scenario\n");
        exit(2);
}
