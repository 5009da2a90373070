package phpstream

import (
	"fmt"
	"syscall"
)

// selectCast is what PHP does to a stream in stream_select before it waits
// (php_stream_cast for select): it returns the descriptor to wait on.
//
//   - A socket with crypto on and PHP's buffer empty first moves the
//     plaintext the TLS layer already holds into PHP's buffer, as much as
//     one chunk, so that the select answers from the buffer at once. That
//     plaintext is what OpenSSL's SSL_pending counts: what a liveness
//     check (feof) decrypted, and the rest of a record that a read with a
//     smaller chunk left (recorded: select/tls-after-feof,
//     select/tls-record-left-after-small-chunk). Nothing is read from the
//     socket, and neither timed_out nor eof changes.
//   - php://temp moves its bytes to its temporary file, whose descriptor
//     is waited on (recorded: memory/socket-functions-temp).
//   - php://memory has no descriptor: a *NotSelectableError, PHP's
//     warning.
func (s *Stream) selectCast() (syscall.RawConn, error) {
	if s.back != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if t, ok := s.back.(descriptorBacking); ok {
			return t.selectable()
		}
		return nil, &NotSelectableError{StreamType: s.back.streamType()}
	}
	s.mu.Lock()
	// PHP reads hold mu; a net.Conn Read holds tlsReadMu. With both, no
	// other read is inside the TLS layer while pendingOnly is set. A Read
	// in flight takes the decrypted bytes itself, so the cast is skipped
	// rather than waited for.
	if s.tls != nil && s.wpos == s.rpos && s.tlsReadMu.TryLock() {
		if pc, ok := s.tls.NetConn().(*plainConn); ok {
			pc.pendingOnly = true
			s.fill(s.chunk)
			pc.pendingOnly = false
		}
		s.tlsReadMu.Unlock()
	}
	s.mu.Unlock()
	return s.SyscallConn()
}

// descriptorBacking is a backing with a descriptor, PHP's cast of it to
// a file descriptor: plain files, php://temp (which moves to its file
// for it), data:, and a user stream through its stream_cast. The others
// (php://memory, compress.zlib://, php://input) have none, for
// stream_select and for compress.zlib://'s inner stream alike.
type descriptorBacking interface {
	selectable() (syscall.RawConn, error)
}

// NotSelectableError is a stream stream_select cannot wait on.
type NotSelectableError struct{ StreamType string }

func (e *NotSelectableError) Error() string {
	return fmt.Sprintf("Cannot represent a stream of type %s as a select()able descriptor", e.StreamType)
}
