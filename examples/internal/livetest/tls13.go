package livetest

import "regexp"

// TLS13Suite masks the TLS 1.3 cipher suite of a crypto array
// (stream_get_meta_data's "crypto"): against an OpenSSL server that
// follows the client's preference (postfix's default
// tls_preempt_cipherlist = no, dovecot's ssl_prefer_server_ciphers = no),
// PHP's OpenSSL client gets TLS_AES_256_GCM_SHA384, its first TLS 1.3
// suite, while Go's crypto/tls offers TLS_AES_128_GCM_SHA256 first on a
// machine with AES hardware and lets no program reorder its TLS 1.3
// suites. The protocol, "TLSv1.3", is still compared.
var TLS13Suite = Mask{
	Re:   regexp.MustCompile(`"cipher_name" => "TLS_[A-Z0-9_]+", "cipher_bits" => \d+, "cipher_version" => "TLSv1\.3"`),
	With: `"cipher_name" => {TLS 1.3 suite}, "cipher_bits" => {bits}, "cipher_version" => "TLSv1.3"`,
}
