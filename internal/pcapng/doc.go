// Package pcapng writes captures: pcapng blocks (draft-ietf-opsawg-pcapng
// §4.1 Section Header, §4.2 Interface Description, §4.3 Enhanced Packet)
// and the IPv4 (RFC 791) or IPv6 (RFC 8200) and UDP (RFC 768) headers a
// datagram needs to be a LINKTYPE_RAW (101) frame. The SFU's per-session
// recorder writes pcapng with it and package conformance's pcap writer
// builds its frames with it; conformance's reader, tshark and Wireshark
// read both. It appends into caller buffers and owns no file.
package pcapng
