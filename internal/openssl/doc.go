// Package openssl is the part of phpsock that emulates OpenSSL 3.0 (as
// Debian builds it and PHP 8.2's ext/openssl uses it) rather than PHP's
// stream layer: what phpstream's TLS setup asks of OpenSSL, answered over
// crypto/tls.
//
//   - ciphers.go: the cipher-string grammar (SSL_CTX_set_cipher_list),
//     PHP's default cipher string, the parsed-string cache (CipherSpecFor)
//     and the names stream_get_meta_data reports (CipherInfo);
//   - ciphers_table.go: OpenSSL's TLS <= 1.2 suite table (its header says
//     how it was made and how it is checked);
//   - seclevel.go: security levels (the default level, groups, key sizes and
//     signature digests each level allows);
//   - errors.go: the error table, the warning texts PHP prints for a failed
//     handshake, read or write (HandshakeErrorText, ReadErrorText,
//     AlertText), and the error types phpstream's TLS code returns so that
//     the table can classify them;
//   - verify.go: chain verification as OpenSSL performs it with PHP's verify
//     callback (VerifyChain for a server's chain, VerifyClientChain for a
//     client certificate);
//   - ca.go, ca_unix.go and ca_other.go: CA files and hashed CA directories
//     as OpenSSL's lookups read them, the trust store made from them, and
//     their cache keyed by file version;
//   - key.go: certificate chain and private key files as
//     SSL_CTX_use_certificate_chain_file and SSL_CTX_use_PrivateKey_file
//     read them, encrypted PEM and PKCS#8 keys included;
//   - version.go: OpenSSL's protocol version names (SSL_get_version).
//
// Everything here is safe for concurrent use: the tables are read-only,
// and the cipher-string and CA caches have their own locks; what they
// return is shared and never modified.
//
// PHP's own logic around OpenSSL (context options, the peer name and
// fingerprint checks, the crypto method and version range computation,
// CA loading with PHP's warnings) stays in phpstream.
package openssl
