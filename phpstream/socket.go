package phpstream

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// sysConn is the socket under a Stream once it is on the runtime poller:
// an *os.File (unix) or a net.Conn (windows).
type sysConn interface {
	io.ReadWriteCloser
	SetDeadline(time.Time) error
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
	SyscallConn() (syscall.RawConn, error)
}

// socket owns a stream's descriptor. A connected descriptor is handed to
// the runtime poller only when I/O first needs it, so a stream that is
// opened and closed without I/O (a liveness probe, a port check) costs no
// poller registration, as in PHP.
type socket struct {
	conn  sysConn     // set once; read without the lock after ready
	ready atomic.Bool // conn is set

	mu     sync.Mutex
	fd     int // the raw descriptor until conn is made, then -1
	closed bool

	// rawfd is the descriptor conn owns, for the immediate calls made
	// without the file layer (unix): each holds raw for reading, and close
	// takes it for writing, so the number cannot be closed (and reused)
	// under a call. rawClosed is set once close began.
	rawfd     int
	raw       sync.RWMutex
	rawClosed bool

	// ops is the state of the raw calls: the poll argument, the
	// descriptor's blocking mode and its receive timeout (unix).
	ops rawOps
}

// newSocketFD wraps a connected raw descriptor.
func newSocketFD(fd int) *socket { return &socket{fd: fd, rawfd: fd} }

// newSocketConn wraps a socket already on the poller; fd is its
// descriptor (-1 where there is none to use).
func newSocketConn(c sysConn, fd int) *socket {
	k := &socket{conn: c, fd: -1, rawfd: fd}
	k.ready.Store(true)
	return k
}

// acquire returns the descriptor for one immediate call, holding it open
// until release; ok is false once the socket is closing or has no
// descriptor to lend.
func (k *socket) acquire() (fd int, ok bool) {
	k.raw.RLock()
	if k.rawClosed || k.rawfd < 0 {
		k.raw.RUnlock()
		return -1, false
	}
	return k.rawfd, true
}

func (k *socket) release() { k.raw.RUnlock() }

// sys returns the poller-backed connection, creating it on first use.
func (k *socket) sys() (sysConn, error) {
	if k.ready.Load() {
		return k.conn, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.conn != nil {
		return k.conn, nil
	}
	if k.closed {
		return nil, net.ErrClosed
	}
	if err := k.leaveBlocking(); err != nil {
		return nil, err
	}
	c, err := pollerConn(k.fd)
	if err != nil {
		return nil, err
	}
	k.conn, k.fd = c, -1
	k.ready.Store(true)
	return c, nil
}

// control runs f with the descriptor, without putting it on the poller.
func (k *socket) control(f func(fd uintptr)) error {
	if k.ready.Load() {
		rc, err := k.conn.SyscallConn()
		if err != nil {
			return err
		}
		return rc.Control(f)
	}
	k.mu.Lock()
	if k.conn == nil {
		defer k.mu.Unlock()
		if k.closed {
			return net.ErrClosed
		}
		f(uintptr(k.fd))
		return nil
	}
	k.mu.Unlock()
	return k.control(f)
}

// close closes the descriptor; pending I/O on the poller returns.
func (k *socket) close() error {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return net.ErrClosed
	}
	k.closed = true
	c, fd := k.conn, k.fd
	k.fd = -1
	k.mu.Unlock()
	// Wait for the raw calls in flight (a wait lasts one slice at most),
	// then let no more start.
	k.raw.Lock()
	k.rawClosed = true
	k.raw.Unlock()
	if c != nil {
		return c.Close()
	}
	return closeFD(fd)
}
