// Package rtcp is a sans-IO, lossless, allocation-free codec for RTCP
// packets and compound packets as WebRTC browsers send them.
//
// Implemented:
//
//   - RFC 3550 §6.4.1 SR, §6.4.2 RR (report blocks, profile extensions),
//     §6.5 SDES, §6.6 BYE, §6.7 APP; §6.1 / Appendix A.2 compound
//     validation (ValidateCompound).
//   - RFC 5506 §3.4 reduced-size RTCP validation (ValidateReducedSize).
//   - RFC 4585 §6.1 feedback header; §6.2.1 generic NACK, §6.3.1 PLI,
//     §6.3.2 SLI.
//   - RFC 5104 §4.3.1 FIR; §4.2.1 TMMBR and §4.2.2 TMMBN.
//   - draft-alvestrand-rmcat-remb-03 REMB (application layer feedback,
//     RFC 4585 §6.4).
//   - draft-holmer-rmcat-transport-wide-cc-extensions-01 transport-wide
//     congestion control feedback: run-length and one-/two-bit status
//     vector chunks, small and large receive deltas, per-packet iteration,
//     and TWCCBuilder, which encodes as libwebrtc does.
//   - RFC 8888 §3.1 congestion control feedback (per-SSRC blocks of R, ECN,
//     ATO metrics).
//   - RFC 3611 XR with typed RRTR (§4.4) and DLRR (§4.5) blocks; other
//     blocks raw.
//   - Anything else (unknown PT, unknown FMT) is a RawPacket.
//
// Iterator walks a compound packet and yields Packet header views; each type
// has Unmarshal(b) into a caller-owned struct that references b and reuses
// its slices, and MarshalSize / MarshalTo(buf) / Marshal. Decoder bundles one
// value of every type. Parse then marshal gives back the input bytes:
// padding (with its count octet), reserved bits, profile extensions and
// unknown packets are kept.
//
// Building, for a sender of RTCP such as an SFU: AppendCompound(dst, ...)
// marshals packets into one reused buffer (padding only on the last,
// RFC 3550 §6.4.1); SourceDescription.Reset/AddCNAME reuse SDES memory;
// AppendReceiverReports splits more than 31 report blocks over several RRs
// (§6.1); NTPTime, NTPMiddle, DelayUnits and RoundTrip do the §4 and
// §6.4.1 timestamp arithmetic on times the caller passes in;
// AppendNACKPairs packs lost sequence numbers; REMB.SetBitrate and
// TMMBREntry.SetBitrate pick exponent and mantissa; TWCCBuilder turns
// (sequence, arrival) pairs into transport-cc feedback. None of them
// allocates once its buffers have grown.
//
// Deviations and choices:
//
//   - ValidateCompound does not require the SDES CNAME of RFC 3550 §6.1
//     (Appendix A.2 does not check it either).
//   - A packet that would not re-encode to the same bytes is rejected rather
//     than normalised: non-zero SDES terminator padding, a PLI with FCI, a
//     REMB whose Num SSRC disagrees with its length, a TWCC status of 3.
//   - RFC 8888 §3.1 describes a block as covering begin_seq to
//     begin_seq+num_reports "inclusive"; num_reports is read as the number
//     of metric blocks (as libwebrtc and pion do), which is what the field's
//     name and the length arithmetic imply.
//   - The TWCC reference time is exposed as the unsigned 24-bit field, as
//     libwebrtc writes it (the draft calls it signed);
//     TransportCC.ReferenceDelta gives the signed, wrap-aware difference
//     between two feedback packets.
//   - RFC 3550 §6.4.1 says the padding count "will be a multiple of four".
//     Any count from 1 to the packet's body is accepted, because libwebrtc
//     pads transport-cc feedback to 32 bits with 1 to 3 octets of RTCP
//     padding, and TWCCBuilder does the same to stay byte-identical.
//     Such a packet must end its compound (§6.4.1); AppendCompound checks.
//   - Unmarshal takes exactly one packet; the length field must match
//     len(b). Use Iterator to split compounds.
package rtcp
