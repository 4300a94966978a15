// Package datachannel implements WebRTC data channels: the Data Channel
// Establishment Protocol (DCEP, RFC 8832) written here, over SCTP provided by
// github.com/pion/sctp, itself carried over DTLS (RFC 8261, RFC 8831).
//
// The package has two layers.
//
// The codec layer is sans-IO: [Open] and [Ack] are the two DCEP messages
// (RFC 8832 §5.1, §5.2), parsed by [Unmarshal] into structs that reference
// the input and marshalled into caller buffers with the
// Marshal/MarshalTo/MarshalSize/Unmarshal quartet. Parsing is lossless:
// bytes after the last field of a message are kept in Trailing and written
// back. [ChannelType] carries the channel-type semantics of RFC 8832 §5.1
// (reliable, partial-reliable by retransmission count or by lifetime, each
// ordered or unordered) and maps them onto SCTP's partial-reliability
// parameters (RFC 3758). [PPID] lists the payload protocol identifiers of
// RFC 8831 §8 (50 DCEP, 51 string, 53 binary, 56/57 empty string/binary,
// deprecated 52/54). [StreamIDs] allocates stream identifiers with the parity
// rule of RFC 8832 §6 (the DTLS client uses even ids, the server odd ids).
// [MaxMessageSizeFromSDP] applies RFC 8841 §6.1 to the remote
// a=max-message-size; [DefaultSCTPPort] is the a=sctp-port default (RFC 8841
// §5.2). Parsing the SDP lines themselves belongs to package sdp.
//
// The association layer ([Association], [Channel]) runs pion/sctp over a
// net.Conn (normally the DTLS connection of package sfu/transport): it accepts
// channels the browser opens (DATA_CHANNEL_OPEN is answered with
// DATA_CHANNEL_ACK and the stream's reliability parameters are set), opens
// channels from the server side, sends and receives string, binary and empty
// messages (RFC 8831 §6.6) and closes channels with an SCTP stream reset
// (RFC 8831 §6.7, RFC 6525).
//
// Deviations and limits:
//   - The deprecated partial PPIDs 52 and 54 (RFC 8831 §8) are accepted on
//     receive and reassembled into one message; they are never sent.
//   - RFC 8832 §6 lets the opener send before DATA_CHANNEL_ACK arrives, but
//     only ordered. The ACK is consumed by [Channel.ReadMessage]; until the
//     application has read it (or any other message on the channel), writes on
//     a channel opened here stay ordered even if its type is unordered.
//   - A DATA_CHANNEL_OPEN on a stream id of the wrong parity (RFC 8832 §6) is
//     refused: the stream is reset and the refusal is logged.
//   - Each stream the peer creates holds a goroutine until its
//     DATA_CHANNEL_OPEN has arrived and the channel is queued for Accept;
//     at most Config.MaxPendingOpens (64) at once, further streams are
//     reset and counted (Counters.PendingFull).
//   - Both peers start SCTP as a client (simultaneous INIT, RFC 4960 §5.2.1),
//     as browsers do; Config.Passive waits for the peer's INIT instead.
package datachannel
