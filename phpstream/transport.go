package phpstream

import "fmt"

// SplitScheme splits a PHP transport address into its scheme and the rest,
// as PHP's stream_xport_create does: a leading run of [A-Za-z0-9+.-] of at
// least two characters followed by "://" is the scheme; otherwise the scheme
// is "tcp" and the whole string is the address ("a://h" is tcp address
// "a://h"). The scheme is returned as written; lookup is case-sensitive.
func SplitScheme(address string) (scheme, rest string) {
	n := 0
	for n < len(address) && isSchemeChar(address[n]) {
		n++
	}
	if n > 1 && len(address) >= n+3 && address[n:n+3] == "://" {
		return address[:n], address[n+3:]
	}
	return "tcp", address
}

// isSchemeChar is a byte of a scheme, [A-Za-z0-9+.-], as PHP's transport
// and wrapper lookups and php_url_parse scan them.
func isSchemeChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'
}

// maxTransportNameShown is how many bytes of an unknown transport's name PHP
// puts in its message (a 32-byte buffer with its terminator).
const maxTransportNameShown = 31

// unknownTransportText is PHP's error text for a scheme nobody registered.
func unknownTransportText(scheme string) string {
	if len(scheme) > maxTransportNameShown {
		scheme = scheme[:maxTransportNameShown]
	}
	return fmt.Sprintf("Unable to find the socket transport \"%s\" - did you forget to enable it when you configured PHP?", scheme)
}

// transportKind is how a registered scheme connects.
type transportKind int

const (
	kindTCP transportKind = iota
	kindUDP
	kindUnix
	kindUDG
	kindTLS // ssl, tls, tlsv1.x: tcp plus an automatic handshake
)

// transportKindOf maps a registered scheme to its kind.
func transportKindOf(scheme string) transportKind {
	switch scheme {
	case "tcp":
		return kindTCP
	case "udp":
		return kindUDP
	case "unix":
		return kindUnix
	case "udg":
		return kindUDG
	}
	return kindTLS
}

// streamType is stream_get_meta_data's stream_type for a transport kind.
func (k transportKind) streamType(p *Profile) string {
	switch k {
	case kindUDP:
		return "udp_socket"
	case kindUnix:
		return "unix_socket"
	case kindUDG:
		return "udg_socket"
	case kindGeneric:
		return "generic_socket"
	}
	if p.hasTLS() {
		return "tcp_socket/ssl"
	}
	return "tcp_socket"
}

// network is the Go network name of a transport kind.
func (k transportKind) network() string {
	switch k {
	case kindUDP:
		return "udp"
	case kindUnix:
		return "unix"
	case kindUDG:
		return "unixgram"
	case kindGeneric:
		return "unix"
	}
	return "tcp"
}
