package phpstream

// kindGeneric is a socket PHP did not open through a transport: the
// streams of stream_socket_pair, whose stream_type is "generic_socket".
//
// transportKind.streamType and network (transport.go) must map it:
// "generic_socket" and "unix".
const kindGeneric transportKind = kindTLS + 1
