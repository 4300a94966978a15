package endpoint

import (
	"context"
	"errors"
)

// ErrConsentLost is returned by writes after ICE consent expired
// (RFC 7675 §5.1: the endpoint must stop sending).
var ErrConsentLost = errors.New("endpoint: ICE consent lost, sending stopped (RFC 7675 §5.1)")

// WriteRTP protects one plaintext RTP packet with the local SRTP context
// (RFC 3711 §3.3) and sends it on the selected pair. The packet is sent
// as given: the caller chooses SSRC (Track.SSRC), payload type,
// sequence number and timestamp. pkt is not modified.
func (e *Endpoint) WriteRTP(pkt []byte) error { return e.writeSRTP(pkt, false) }

// WriteRTCP protects one plaintext (compound) RTCP packet (RFC 3711 §3.4)
// and sends it.
func (e *Endpoint) WriteRTCP(pkt []byte) error { return e.writeSRTP(pkt, true) }

func (e *Endpoint) writeSRTP(pkt []byte, isRTCP bool) error {
	if e.closed.Load() {
		return ErrClosed
	}
	select {
	case <-e.consent:
		return ErrConsentLost
	default:
	}
	e.sendMu.Lock()
	defer e.sendMu.Unlock()
	if e.srtpOut == nil {
		return ErrNotConnected
	}
	to := e.remote.Load()
	if to == nil {
		return ErrNotConnected
	}
	var (
		out []byte
		err error
	)
	if isRTCP {
		out, err = e.srtpOut.EncryptRTCP(e.sendBuf[:0], pkt)
	} else {
		out, err = e.srtpOut.EncryptRTP(e.sendBuf[:0], pkt)
	}
	if err != nil {
		return err
	}
	e.sendBuf = out[:0]
	if err := e.write(out, *to); err != nil {
		return err
	}
	if isRTCP {
		e.Stats.RTCPOut.Add(1)
	} else {
		e.Stats.RTPOut.Add(1)
	}
	return nil
}

// ReadRTP returns the next decrypted RTP packet from the peer (a copy the
// caller owns). Packets that fail authentication or are replayed never
// arrive here (Stats.DropSRTP).
func (e *Endpoint) ReadRTP(ctx context.Context) ([]byte, error) { return e.read(ctx, e.rtpCh) }

// ReadRTCP returns the next decrypted (compound) RTCP packet.
func (e *Endpoint) ReadRTCP(ctx context.Context) ([]byte, error) { return e.read(ctx, e.rtcpCh) }

func (e *Endpoint) read(ctx context.Context, ch chan []byte) ([]byte, error) {
	select {
	case p := <-ch:
		return p, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-e.ctx.Done():
		return nil, ErrClosed
	}
}
