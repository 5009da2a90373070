package phpstream

import (
	"context"
	"net"
	"net/netip"
	"strings"
)

// Flags of stream_socket_recvfrom and stream_socket_sendto.
const (
	FlagOOB  = 1 // STREAM_OOB: MSG_OOB
	FlagPeek = 2 // STREAM_PEEK: MSG_PEEK (recvfrom only)
)

// ParseNetworkAddress is PHP's php_network_parse_network_address_with_port,
// which stream_socket_sendto uses for its target: "[v6]:port" or
// "host:port" (the first colon splits), the port as C's atoi cast to 16
// bits, the host tried as a numeric IPv6 address, a dotted-quad IPv4
// address, then resolved for datagrams (the first address wins). warn
// receives the resolver's diagnostics as PHP raises them (without the
// function prefix). ok is false where PHP's parse fails; PHP then warns
// "Failed to parse `%s' into a valid network address" (the caller's).
func ParseNetworkAddress(ctx context.Context, r *net.Resolver, addr string, warn func(string)) (ap netip.AddrPort, ok bool) {
	var host, port string
	if strings.HasPrefix(addr, "[") {
		i := strings.IndexByte(addr[1:], ']')
		if i < 0 || 1+i+1 >= len(addr) || addr[1+i+1] != ':' {
			return netip.AddrPort{}, false
		}
		host, port = addr[1:1+i], addr[1+i+2:]
	} else {
		i := strings.IndexByte(addr, ':')
		if i < 0 {
			return netip.AddrPort{}, false
		}
		host, port = addr[:i], addr[i+1:]
	}
	// PHP copies the host with estrndup: a NUL ends it.
	host = cString(host)
	p := uint16(atoi(cString(port)))
	if a, err := netip.ParseAddr(host); err == nil && a.Zone() == "" {
		// inet_pton(AF_INET6, ...), then inet_pton(AF_INET, ...).
		return netip.AddrPortFrom(a, p), true
	}
	addrs, rerr := resolve(ctx, r, host)
	if rerr != nil {
		if warn != nil {
			t := rerr.text()
			warn(t)
			warn("Failed to resolve `" + host + "': " + t)
		}
		return netip.AddrPort{}, false
	}
	if len(addrs) == 0 {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(addrs[0].WithZone(""), p), true
}
