// Package rtp implements the RTP packet format and the pieces of its
// payload formats a selective forwarding unit needs.
//
//   - RFC 3550 §5.1, §5.3.1: fixed header, CSRC list, padding, header
//     extension block.
//   - RFC 8285: one-byte and two-byte header extension elements.
//
// Parsing is sans-IO and allocation free: structs reference the buffer
// they were parsed from.
package rtp
