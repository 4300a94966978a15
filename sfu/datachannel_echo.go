package sfu

import (
	"errors"
	"io"

	"github.com/plainrtc/plainrtc/sfu/datachannel"
)

// localMaxMessageSize is the a=max-message-size of our answers
// (RFC 8841 §6.1): the largest data channel message the SFU receives and
// echoes.
const localMaxMessageSize = datachannel.LocalMaxMessageSize

// echoInitialBuffer is the echo buffer a channel starts with; it grows to
// localMaxMessageSize on the first larger message, so that idle channels
// do not each hold the maximum.
const echoInitialBuffer = 16 << 10

// echo sends every message of ch back on it until the channel closes.
//
// RFC 8841 §6.1: a message may be as large as the receiver's
// a=max-message-size. A message larger than ours, or one we cannot send
// back because it is larger than the peer's, is not dropped silently: the
// channel is closed (an SCTP stream reset, RFC 8831 §6.7, which the peer
// sees as the channel closing), counted and logged. Messages of the
// deprecated partial PPIDs (RFC 8831 §8) are reassembled only within the
// current buffer.
func (x *session) echo(ch *datachannel.Channel) {
	buf := make([]byte, echoInitialBuffer)
	for {
		n, isString, err := ch.ReadMessage(buf)
		if errors.Is(err, io.ErrShortBuffer) {
			if n > len(buf) && n <= localMaxMessageSize {
				buf = make([]byte, localMaxMessageSize)
				continue // the message stays queued
			}
			x.s.interop.dcOversized.Add(1)
			x.log.Warn("data channel closed: message larger than our a=max-message-size (RFC 8841 §6.1)",
				"label", ch.Label(), "stream", ch.StreamID(), "size", n, "max_message_size", localMaxMessageSize)
			_ = ch.Close()
			return
		}
		if err != nil {
			return // the channel or the association closed
		}
		if n > int(x.peerMaxMessage) {
			x.s.interop.dcEchoTooLarge.Add(1)
			x.log.Warn("data channel closed: message not echoed, larger than the peer's a=max-message-size (RFC 8841 §6.1)",
				"label", ch.Label(), "stream", ch.StreamID(), "size", n, "peer_max_message_size", x.peerMaxMessage)
			_ = ch.Close()
			return
		}
		if err := ch.WriteMessage(buf[:n], isString); err != nil {
			if x.ctx.Err() == nil {
				x.log.Info("data channel echo stopped", "label", ch.Label(), "stream", ch.StreamID(), "err", err)
			}
			return
		}
	}
}
