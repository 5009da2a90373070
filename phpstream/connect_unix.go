//go:build unix

package phpstream

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// maxUnixPath is sizeof(sun_path): PHP truncates longer paths to one less.
const maxUnixPath = len(unix.RawSockaddrUnix{}.Path)

// finishConnect is the rest of PHP's php_network_connect_socket after a
// non-blocking connect returned err: a poll for writability within ms
// milliseconds and SO_ERROR. again, when not nil, repeats the connect: on
// a socket whose connect has finished it returns the outcome in one
// system call (nil or EISCONN: connected; an errno: the failure SO_ERROR
// would report), EALREADY while it is still under way.
func (d *Dialer) finishConnect(ctx context.Context, sock rawSocket, err error, again func() error, deadline time.Time, ms int64) (*socket, *connectFailure) {
	// Only EINPROGRESS waits: a unix listener whose queue is full refuses
	// a non-blocking connect with EAGAIN, which PHP reports (recorded:
	// connect/unix-backlog-full).
	if err != nil && err != unix.EINPROGRESS {
		sock.close()
		e := toErrno(err)
		return nil, &connectFailure{errno: e, text: errnoText(e)}
	}
	if ctx.Err() != nil {
		// As net.Dialer does, a context done by now fails the dial even
		// when the connect completed at once (a Dialer.Control that cancels).
		sock.close()
		return nil, &connectFailure{errno: unix.ECANCELED, text: ctx.Err().Error(), err: ctx.Err()}
	}
	if err == nil || (d.Async && err == unix.EINPROGRESS) {
		return newSocketFD(sock.fd), nil
	}
	if again != nil && err == unix.EINPROGRESS {
		// A loopback connect has usually completed by now.
		switch err := again(); err {
		case nil, unix.EISCONN:
			return newSocketFD(sock.fd), nil
		case unix.EALREADY, unix.EINPROGRESS, unix.EINTR:
		default:
			sock.close()
			e := toErrno(err)
			return nil, &connectFailure{errno: e, text: errnoText(e)}
		}
	}
	var k *socket
	if sock.writableNow() {
		// A loopback connect has usually completed by now: no poller needed.
		k = newSocketFD(sock.fd)
	} else {
		if ms == 0 {
			sock.close()
			return nil, &connectFailure{errno: unix.ETIMEDOUT, text: errnoText(unix.ETIMEDOUT), err: os.ErrDeadlineExceeded}
		}
		if ms > 0 {
			ms = max(time.Until(deadline).Milliseconds(), 0)
		}
		f := sock.file("socket")
		k = newSocketConn(f, sock.fd)
		ready, werr := waitWritable(ctx, f, ms)
		if !ready {
			k.close()
			if werr != nil && ctx.Err() != nil {
				return nil, &connectFailure{errno: unix.ECANCELED, text: ctx.Err().Error(), err: ctx.Err()}
			}
			return nil, &connectFailure{errno: unix.ETIMEDOUT, text: errnoText(unix.ETIMEDOUT), err: os.ErrDeadlineExceeded}
		}
	}
	if e := sock.soError(); e != 0 {
		k.close()
		return nil, &connectFailure{errno: e, text: errnoText(e)}
	}
	return k, nil
}

// dialUnix connects a unix or udg stream to the path after the scheme,
// binary-safe, truncated as PHP truncates it.
func (d *Dialer) dialUnix(ctx context.Context, s *Stream, path string) error {
	sotype := sockStr
	if s.kind == kindUDG {
		sotype = sockDgr
	}
	sock, err := newSocket(afUnix, sotype)
	if err != nil {
		return &OpError{Op: "connect", Address: s.address, Text: "Failed to create unix socket", Err: causeOf(err)}
	}
	if len(path) >= maxUnixPath {
		d.Diagnostics.emit(ENotice, fmt.Sprintf("socket path exceeded the maximum allowed length of %d bytes and was truncated", maxUnixPath-1))
		path = path[:maxUnixPath-1]
	}
	ms := d.timeoutMillis()
	var deadline time.Time
	if ms >= 0 {
		deadline = time.Now().Add(time.Duration(ms) * time.Millisecond)
	}
	if d.Control != nil {
		network := "unix"
		if s.kind == kindUDG {
			network = "unixgram"
		}
		if err := d.Control(network, path, rawControl{sock.fd}); err != nil {
			sock.close()
			e := toErrno(err)
			return &OpError{Op: "connect", Address: s.address, Errno: e, Text: errnoText(e), Err: err}
		}
	}
	k, cf := d.finishConnect(ctx, sock, sock.connectUnixStart(path), nil, deadline, ms)
	if cf != nil {
		return &OpError{Op: "connect", Address: s.address, Errno: cf.errno, Text: cf.text, Err: cf.err}
	}
	s.attach(k)
	return nil
}

func toErrno(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return unix.EIO
}

// attempt is one iteration of PHP's connect loop: socket, bindto, socket
// options, the Control hook, connect. tried is false when the socket could
// not be created (PHP then moves on silently).
func (d *Dialer) attempt(ctx context.Context, s *Stream, a netip.Addr, port uint16, b bindSpec, deadline time.Time, ms int64) (cf *connectFailure, tried bool) {
	family, sotype := afInet, sockStr
	if a.Is6() {
		family = afInet6
	}
	if s.kind == kindUDP {
		sotype = sockDgr
	}
	sock, err := newSocket(family, sotype)
	if err != nil {
		return nil, false
	}
	if local, ok := d.localAddr(b, a); ok {
		if err := sock.bindInet(local, b.port); err != nil {
			d.bindFailed(b, err)
		}
	}
	if s.kind == kindUDP && d.Context.optionTrue("socket", "so_broadcast") {
		sock.setBool(solSock, soBcast, true)
	}
	if s.kind == kindTCP && d.Context.optionTrue("socket", "tcp_nodelay") {
		sock.setBool(ipprTCP, tcpNoDly, true)
	}
	if d.Control != nil {
		if err := d.Control(controlNetwork(s.kind, a), netip.AddrPortFrom(a, port).String(), rawControl{sock.fd}); err != nil {
			sock.close()
			e := toErrno(err)
			return &connectFailure{errno: e, text: errnoText(e), err: err}, true
		}
	}
	var again func() error
	if s.kind == kindTCP {
		again = func() error { return connectInetRaw(sock.fd, a, port) }
	}
	k, cf := d.finishConnect(ctx, sock, connectInetRaw(sock.fd, a, port), again, deadline, ms)
	if cf != nil {
		return cf, true
	}
	s.attach(k)
	return nil, true
}
