package phpstream

// A Profile is the PHP build being emulated: its version, platform and TLS
// library decide which transports exist and which texts PHP prints.
type Profile struct {
	Name       string // e.g. "php-8.2-linux"
	PHPVersion string // e.g. "8.2.36"
	OS         string // PHP_OS, e.g. "Linux"
	// OpenSSL is OPENSSL_VERSION_TEXT, or "" for a build without ext/openssl.
	OpenSSL string
	// Transports lists the registered transports in registration order.
	Transports []string
}

// PHP82Linux is PHP 8.2 CLI as Debian builds it (php8.2-cli), linked
// against OpenSSL 3: no sslv2 or sslv3 transports.
var PHP82Linux = &Profile{
	Name:       "php-8.2-linux",
	PHPVersion: "8.2.36",
	OS:         "Linux",
	OpenSSL:    "OpenSSL 3.0.22 25 Aug 2026",
	Transports: []string{"tcp", "udp", "unix", "udg", "ssl", "tls", "tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3"},
}

// DefaultProfile is the profile used when none is given.
var DefaultProfile = PHP82Linux

// HasTransport reports whether the profile registers scheme (case-sensitive).
func (p *Profile) HasTransport(scheme string) bool {
	for _, t := range p.Transports {
		if t == scheme {
			return true
		}
	}
	return false
}

// hasTLS reports whether ext/openssl is loaded, which makes every tcp
// stream a "tcp_socket/ssl" stream able to turn crypto on.
func (p *Profile) hasTLS() bool { return p.OpenSSL != "" }
