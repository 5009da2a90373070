<?php
// An FTP client written as PHP code in the wild writes one (the backup
// uploaders and feed importers that use PHP's ftp:// wrapper rather than
// the ftp extension): file_get_contents, fopen and file_put_contents of
// ftp:// and ftps:// URLs (AUTH TLS), the `ftp` context's overwrite
// option, file_exists, is_file, is_dir and filesize through the
// wrapper's url_stat, mkdir, rmdir, rename and unlink.
//
// Usage: php client.php SCENARIO HOST PORT CERTDIR
// main.go is its line-by-line Go port; main_test.go runs both against the
// same vsftpd (anonymous, writable pub/, AUTH TLS offered) and compares
// their transcripts.

require __DIR__ . '/../internal/livetest/transcript.php';

[, $scenario, $host, $port, $certs] = $argv;
$ftp = "ftp://$host:$port";
$ftps = "ftps://$host:$port";

// stat_url prints what the url_stat functions say about $url.
function stat_url(string $url): void
{
    out('file_exists', file_exists($url));
    out('is_file', is_file($url));
    out('is_dir', is_dir($url));
    out('filesize', filesize($url));
}

// read opens $url with fopen and reads it to the end with fread.
function read(string $url, $ctx): void
{
    $fp = fopen($url, 'r', false, $ctx);
    out('fopen', $fp);
    if ($fp === false) {
        return;
    }
    $meta = stream_get_meta_data($fp);
    out('wrapper_type', $meta['wrapper_type']);
    out('stream_type', $meta['stream_type']);
    $body = '';
    while (!feof($fp)) {
        $chunk = fread($fp, 6);
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
        out('file_get_contents', file_get_contents("$ftp/pub/hello.txt"));
        out('offset 6', file_get_contents("$ftp/pub/hello.txt", false, null, 6));
        out('length 5', file_get_contents("$ftp/pub/hello.txt", false, null, 0, 5));
        out('resume_pos 6', file_get_contents("$ftp/pub/hello.txt", false, stream_context_create(['ftp' => ['resume_pos' => 6]])));
        read("$ftp/pub/hello.txt", null);
        break;
    case 'put':
        out('new', file_put_contents("$ftp/pub/new.txt", "first\n"));
        out('exists, no overwrite', file_put_contents("$ftp/pub/new.txt", "second\n"));
        $overwrite = stream_context_create(['ftp' => ['overwrite' => true]]);
        out('overwrite', file_put_contents("$ftp/pub/new.txt", "second\n", 0, $overwrite));
        out('append', file_put_contents("$ftp/pub/new.txt", "third\n", FILE_APPEND));
        out('read back', file_get_contents("$ftp/pub/new.txt"));
        out('list of strings', file_put_contents("$ftp/pub/list.txt", ['a', 'b', "c\n"]));
        out('read back', file_get_contents("$ftp/pub/list.txt"));
        out('not writable', file_put_contents("$ftp/top.txt", "x"));
        out('encoded name', file_put_contents("$ftp/pub/two%20words.txt", "percent\n"));
        out('exists as', [file_exists("$ftp/pub/two%20words.txt"), file_exists("$ftp/pub/two words.txt")]);
        break;
    case 'modes':
        $fp = fopen("$ftp/pub/written.txt", 'w');
        out('fopen w', $fp);
        out('fwrite', fwrite($fp, "written with fwrite\n"));
        out('fclose', fclose($fp));
        out('read back', file_get_contents("$ftp/pub/written.txt"));
        $fp = fopen("$ftp/pub/written.txt", 'a');
        out('fopen a', $fp);
        out('fwrite', fwrite($fp, "appended\n"));
        out('fclose', fclose($fp));
        out('read back', file_get_contents("$ftp/pub/written.txt"));
        out('fopen w existing', fopen("$ftp/pub/written.txt", 'w'));
        out('fopen x', fopen("$ftp/pub/new.txt", 'x'));
        out('fopen r+', fopen("$ftp/pub/written.txt", 'r+'));
        break;
    case 'stat':
        stat_url("$ftp/pub/hello.txt");
        stat_url("$ftp/pub");
        stat_url("$ftp/pub/missing.txt");
        break;
    case 'dirs':
        out('mkdir', mkdir("$ftp/pub/dir"));
        out('mkdir again', mkdir("$ftp/pub/dir"));
        out('is_dir', is_dir("$ftp/pub/dir"));
        out('mkdir recursive', mkdir("$ftp/pub/a/b/c", 0777, true));
        out('is_dir', is_dir("$ftp/pub/a/b/c"));
        out('scandir', scandir("$ftp/pub"));
        $d = opendir("$ftp/pub/a");
        out('readdir', readdir($d));
        out('readdir at the end', readdir($d));
        closedir($d);
        out('scandir empty', scandir("$ftp/pub/a/b/c", SCANDIR_SORT_DESCENDING));
        out('rename', rename("$ftp/pub/hello.txt", "$ftp/pub/dir/moved.txt"));
        out('old gone', file_exists("$ftp/pub/hello.txt"));
        out('moved', file_get_contents("$ftp/pub/dir/moved.txt"));
        out('rmdir not empty', rmdir("$ftp/pub/dir"));
        out('unlink', unlink("$ftp/pub/dir/moved.txt"));
        out('rmdir', rmdir("$ftp/pub/dir"));
        out('is_dir', is_dir("$ftp/pub/dir"));
        out('rename to another server', rename("$ftp/pub/a", "ftp://$host:1/pub/a"));
        break;
    case 'missing':
        out('file_get_contents', file_get_contents("$ftp/pub/missing.txt"));
        read("$ftp/pub/missing.txt", null);
        out('unlink', unlink("$ftp/pub/missing.txt"));
        out('rename', rename("$ftp/pub/missing.txt", "$ftp/pub/other.txt"));
        out('rmdir', rmdir("$ftp/pub/missing"));
        out('mkdir in missing', mkdir("$ftp/pub/missing/dir"));
        out('scandir', scandir("$ftp/pub/missing"));
        $d = opendir("$ftp/pub/missing");
        out('opendir', $d);
        if ($d) {
            closedir($d);
        }
        break;
    case 'login':
        out('user and password', file_get_contents("ftp://alice:secret@$host:$port/pub/hello.txt"));
        out('anonymous named', file_get_contents("ftp://anonymous:me%40example.test@$host:$port/pub/hello.txt"));
        break;
    case 'ftps':
        $ctx = stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
            'peer_name' => 'localhost',
        ]]);
        out('file_get_contents', file_get_contents("$ftps/pub/hello.txt", false, $ctx));
        read("$ftps/pub/hello.txt", $ctx);
        out('file_put_contents', file_put_contents("$ftps/pub/tls.txt", "over TLS\n", 0, $ctx));
        out('read back', file_get_contents("$ftps/pub/tls.txt", false, $ctx));
        out('unlink', unlink("$ftps/pub/tls.txt", $ctx));
        break;
    case 'large':
        // 1 MiB up and down, plain and over TLS.
        $data = str_repeat("0123456789abcdef", 65536);
        $ctx = stream_context_create([
            'ftp' => ['overwrite' => true],
            'ssl' => ['cafile' => "$certs/ca.pem", 'peer_name' => 'localhost'],
        ]);
        foreach ([$ftp, $ftps] as $base) {
            out('file_put_contents', file_put_contents("$base/pub/large.bin", $data, 0, $ctx));
            // filesize takes no context: ftps:// verifies with the
            // default one, without the test's CA.
            out('filesize', filesize("$base/pub/large.bin"));
            $back = file_get_contents("$base/pub/large.bin", false, $ctx);
            out('length', strlen($back));
            out('same', $back === $data);
        }
        break;
    case 'ftps-wrong-name':
        out('wrong peer_name', file_get_contents("$ftps/pub/hello.txt", false, stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
            'peer_name' => 'wrong.example',
        ]])));
        out('verify_peer_name off', file_get_contents("$ftps/pub/hello.txt", false, stream_context_create(['ssl' => [
            'cafile' => "$certs/ca.pem",
            'peer_name' => 'wrong.example',
            'verify_peer_name' => false,
        ]])));
        break;
    case 'ftps-no-cafile':
        out('no cafile', file_get_contents("$ftps/pub/hello.txt"));
        out('verify_peer off', file_get_contents("$ftps/pub/hello.txt", false, stream_context_create(['ssl' => [
            'verify_peer' => false,
        ]])));
        break;
    case 'paused':
        // The server accepts (the kernel does) and answers nothing: the
        // wrapper waits default_socket_timeout for the greeting.
        out('ini_set', ini_set('default_socket_timeout', '1'));
        out('file_get_contents', file_get_contents("$ftp/pub/hello.txt"));
        out('file_exists', file_exists("$ftp/pub/hello.txt"));
        break;
    case 'refused':
        out('file_get_contents', file_get_contents("$ftp/pub/hello.txt"));
        out('file_put_contents', file_put_contents("$ftp/pub/new.txt", "x"));
        out('file_exists', file_exists("$ftp/pub/hello.txt"));
        out('ftps', file_get_contents("$ftps/pub/hello.txt"));
        break;
    default:
        fwrite(STDERR, "unknown scenario $scenario\n");
        exit(2);
}
