package endpoint

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plainrtc/plainrtc/sfu/datachannel"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// Stages of Connect, named in StageError.
const (
	StageICE  = "ICE"  // connectivity checks and nomination, RFC 8445
	StageDTLS = "DTLS" // handshake and fingerprint check, RFC 6347, RFC 8122
	StageSCTP = "SCTP" // association for data channels, RFC 8261
)

// StageError says which stage of Connect never finished, after how long,
// and what was seen.
type StageError struct {
	Stage   string
	Elapsed time.Duration
	Detail  string
	Err     error
}

func (e *StageError) Error() string {
	s := fmt.Sprintf("endpoint: %s did not complete after %v", e.Stage, e.Elapsed.Round(time.Millisecond))
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *StageError) Unwrap() error { return e.Err }

// Connect establishes the session after the offer/answer exchange: ICE
// (the agent has been checking since the remote description arrived),
// then DTLS in the negotiated role, then SCTP when a data channel was
// negotiated. It returns a *StageError naming the stage that did not
// finish within ctx (or Config.ConnectTimeout when ctx has no deadline).
func (e *Endpoint) Connect(ctx context.Context) error {
	e.connectMu.Lock()
	defer e.connectMu.Unlock()
	if e.closed.Load() {
		return ErrClosed
	}
	if e.connected {
		return nil
	}
	if e.connectErr != nil {
		return fmt.Errorf("endpoint: an earlier Connect failed, make a new endpoint: %w", e.connectErr)
	}
	e.mu.Lock()
	set, role, fps := e.neg.transportSet, e.neg.role, e.neg.fingerprints
	data, maxMsg := e.neg.dataChannel, e.neg.peerMaxMsg
	e.mu.Unlock()
	if !set {
		return fmt.Errorf("endpoint: Connect before the peer's description was applied (SetAnswer or Answer)")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.cfg.ConnectTimeout)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(e.ctx, cancel) // Close ends Connect
	defer stop()
	start := time.Now()
	fail := func(stage, detail string, err error) error {
		if e.closed.Load() {
			err = ErrClosed
		}
		se := &StageError{Stage: stage, Elapsed: time.Since(start), Detail: detail, Err: err}
		e.log.Warn("connect failed", "err", se.Error())
		e.connectErr = se
		return se
	}

	select {
	case <-e.iceDone:
	case <-e.iceFailed:
		return fail(StageICE, e.iceDetail(), errors.New("every candidate pair failed (RFC 8445 §8.1.2)"))
	case <-ctx.Done():
		return fail(StageICE, e.iceDetail(), ctx.Err())
	}

	conn, local, remote, err := e.handshakeDTLS(ctx, role, fps)
	if err != nil {
		return fail(StageDTLS, "as "+role.String(), err)
	}
	e.sendMu.Lock()
	e.srtpOut = local
	e.sendMu.Unlock()
	e.srtpIn.Store(remote)
	close(e.secured)
	e.dtlsConn = conn

	if data {
		dcRole := datachannel.RoleServer
		if role == transport.RoleClient {
			dcRole = datachannel.RoleClient
		}
		a, err := datachannel.NewAssociation(ctx, conn, datachannel.Config{Role: dcRole, MaxMessageSize: maxMsg, Logger: e.log})
		if err != nil {
			return fail(StageSCTP, "", err)
		}
		e.assoc = a
	} else {
		// Nothing else reads the DTLS connection: read it to see its end
		// (close_notify) and let pion process records.
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			buf := make([]byte, 1500)
			for {
				if _, err := conn.Read(buf); err != nil {
					return
				}
			}
		}()
	}
	e.connected = true
	return nil
}

func (e *Endpoint) iceDetail() string {
	e.mu.Lock()
	st := e.agent.Stats()
	e.mu.Unlock()
	return fmt.Sprintf("%d checks sent, %d retransmitted, %d answered with success, %d with an error", st.ChecksSent, st.Retransmits, st.Successes, st.ErrorResponses)
}

// Secured is closed when the SRTP keys exist (DTLS done).
func (e *Endpoint) Secured() <-chan struct{} { return e.secured }

// OpenDataChannel opens a reliable, ordered data channel (RFC 8832 §6)
// on a stream id of our DTLS role's parity: even as DTLS client, odd as
// server.
func (e *Endpoint) OpenDataChannel(label string, opt datachannel.ChannelOptions) (*datachannel.Channel, error) {
	a, err := e.association()
	if err != nil {
		return nil, err
	}
	return a.Open(label, opt)
}

// AcceptDataChannel returns the next data channel the peer opened.
func (e *Endpoint) AcceptDataChannel(ctx context.Context) (*datachannel.Channel, error) {
	a, err := e.association()
	if err != nil {
		return nil, err
	}
	return a.Accept(ctx)
}

func (e *Endpoint) association() (*datachannel.Association, error) {
	e.connectMu.Lock()
	defer e.connectMu.Unlock()
	if e.closed.Load() {
		return nil, ErrClosed
	}
	if !e.connected {
		return nil, ErrNotConnected
	}
	if e.assoc == nil {
		return nil, ErrNoDataChannel
	}
	return e.assoc, nil
}
