// Package rtp implements the RTP packet format, its header extensions and
// the parts of the payload formats a selective forwarding unit needs to
// forward well. It is a sans-IO codec: no sockets, goroutines or clocks;
// times are passed in.
//
// Implemented:
//
//   - RFC 3550 §5.1, §5.3.1: fixed header, CSRC list, padding and the
//     header extension block (Header, Packet). HeaderLength is the framing
//     alone (where the payload and the extension start) with static
//     errors; Header.Unmarshal and package srtp both build on it.
//   - RFC 3550 Appendix A.1 (source validation), A.3 (expected/lost,
//     fraction lost) as Source, and A.8 (interarrival jitter) as Jitter;
//     SequenceUnwrapper and TimestampUnwrapper extend the 16- and 32-bit
//     counters.
//   - RFC 8285: one-byte (§4.2, IDs 1–14) and two-byte (§4.3, IDs 1–255)
//     extension elements, read with Header.Extensions (ID, value and their
//     offsets in the packet) and written with ExtensionList, which picks the
//     form the IDs and lengths require. ExtensionIDMap,
//     RemapExtensionIDsInPlace, SetExtensionInPlace and RewriteFixedHeader
//     are the SFU's per-subscriber rewrite without copying the packet;
//     RemapExtensionIDs falls back to a two-byte rebuild when a new ID
//     does not fit the one-byte form.
//   - Typed extension values: ssrc-audio-level (RFC 6464), sdes:mid
//     (RFC 9143 §15), rtp-stream-id and repaired-rtp-stream-id (RFC 8852),
//     abs-send-time and playout-delay (webrtc.org experiments),
//     transport-wide-cc (draft-holmer-rmcat-transport-wide-cc-extensions-01)
//     and video orientation (3GPP TS 26.114 §7.4.5).
//   - Payload descriptors: VP8 (RFC 7741 §4.2), VP9 (RFC 9628 §4.2), H.264
//     (RFC 6184 §5, single NAL unit, STAP-A, FU-A), the Opus TOC (RFC 6716
//     §3.1, carried per RFC 7587), each with key frame detection where the
//     format has key frames.
//   - RTX (RFC 4588 §4): Packet.UnwrapRTX and WrapRTX with the OSN.
//
// Parsing is lossless and allocation free: Unmarshal fills a caller's
// struct whose slices reference the input, and MarshalTo gives back the
// same bytes (reserved bits, padding and unknown extension profiles
// included). Parsers return errors naming the field and the rule; they
// never panic.
//
// Choices and deviations:
//
//   - Header.Unmarshal checks every RFC 8285 element lies inside its block
//     and rejects the packet otherwise, so Extensions never meets a
//     malformed element. Blocks with other profiles are kept opaque.
//   - A one-byte element with ID 15 ends parsing of the block (RFC 8285
//     §4.2). A byte with ID 0 is skipped as one padding byte even if its
//     length nibble is not zero (RFC 8285 §4.1 says padding is zero);
//     in the two-byte form a zero byte is padding.
//   - With duplicate IDs, GetExtension and the typed accessors return the
//     first element; Extensions yields all of them.
//   - The two-byte form needs a=extmap-allow-mixed (RFC 8285 §6);
//     ExtensionList.Form reports which form it will write and leaves that
//     negotiation check to the caller.
//   - Packet.Unmarshal rejects a padding count of 0 or one larger than the
//     payload (RFC 3550 §5.1 "the last octet of the padding contains a
//     count"); Header.Unmarshal does not look at padding.
//   - H.264: the interleaved mode (STAP-B, MTAP16/24, FU-B) is rejected as
//     unsupported; browsers use packetization modes 0 and 1. IsKeyframe is
//     "carries an SPS or the start of an IDR slice".
//   - VP9: IsKeyframe is B=1, P=0 and, with layer indices, SID=0.
//   - Opus: only the TOC and the code 3 frame count byte are decoded, with
//     the RFC 6716 §3.4 checks R1, R3, R4 (length) and R5 (count, 120 ms).
//   - Jitter starts from the first packet's transit time instead of 0, so
//     the first packet adds no jitter (§A.8 does not say how transit starts);
//     D is taken modulo 2^32 as §A.8's int arithmetic does.
//   - The typed extension accessors allocate nothing even for absent or
//     malformed elements; the Parse*/Unmarshal functions they mirror build
//     detailed errors.
//   - Source.Lost is clamped to the signed 24 bits of a reception report.
//   - UnwrapRTX drops the RTX packet's padding and reports a padding-only
//     RTX packet (a bandwidth probe) as ErrRTXNoOSN.
package rtp
