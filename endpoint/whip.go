package endpoint

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/plainrtc/plainrtc/sdp"
)

// Session is an endpoint joined through WHIP (RFC 9725) or WHEP: Close
// deletes the session resource, then closes the endpoint.
type Session struct {
	*Endpoint
	// Location is the session resource's absolute URL (the 201's Location
	// header resolved against the endpoint URL, RFC 9725 §4.2).
	Location string
	// ETag is the 201's entity tag, if any (RFC 9725 §4.3.1).
	ETag string
	// Offer and Answer are the descriptions exchanged, exactly as sent
	// and received.
	Offer, Answer []byte
	client        *http.Client
}

// Publish joins a WHIP endpoint as a publisher (RFC 9725): by default it
// offers Opus and VP8 sendonly (set Config.Audio/Video otherwise).
func Publish(ctx context.Context, client *http.Client, endpointURL string, cfg Config) (*Session, error) {
	if cfg.Audio == "" && cfg.Video == "" {
		cfg.Audio, cfg.Video = sdp.SendOnly, sdp.SendOnly
	}
	return Dial(ctx, client, endpointURL, cfg)
}

// Play joins a WHEP endpoint as a viewer: by default it offers Opus and
// VP8 recvonly.
func Play(ctx context.Context, client *http.Client, endpointURL string, cfg Config) (*Session, error) {
	if cfg.Audio == "" && cfg.Video == "" {
		cfg.Audio, cfg.Video = sdp.RecvOnly, sdp.RecvOnly
	}
	return Dial(ctx, client, endpointURL, cfg)
}

// Dial makes an endpoint with cfg, POSTs its offer to endpointURL with
// Content-Type application/sdp, applies the 201 Created answer and
// connects (ICE, DTLS, and SCTP if a data channel was offered). A nil
// client means http.DefaultClient. On any failure after the 201 the
// session resource is deleted.
func Dial(ctx context.Context, client *http.Client, endpointURL string, cfg Config) (*Session, error) {
	if client == nil {
		client = http.DefaultClient
	}
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	offer, err := e.Offer()
	if err != nil {
		e.Close()
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpointURL, bytes.NewReader(offer))
	if err != nil {
		e.Close()
		return nil, err
	}
	req.Header.Set("Content-Type", "application/sdp")
	resp, err := client.Do(req)
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("endpoint: POST offer: %w", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("endpoint: reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		e.Close()
		return nil, fmt.Errorf("endpoint: POST %s: %s: %s", endpointURL, resp.Status, bytes.TrimSpace(body))
	}
	s := &Session{Endpoint: e, ETag: resp.Header.Get("ETag"), Offer: offer, Answer: body, client: client}
	if loc := resp.Header.Get("Location"); loc != "" {
		base, _ := url.Parse(endpointURL)
		if u, err := base.Parse(loc); err == nil {
			s.Location = u.String()
		}
	}
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != "application/sdp" {
		s.Close()
		return nil, fmt.Errorf("endpoint: 201 with Content-Type %q, want application/sdp (RFC 9725 §4.2)", ct)
	}
	if err := e.SetAnswer(body); err != nil {
		s.Close()
		return nil, err
	}
	if err := e.Connect(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close sends DELETE to the session resource (RFC 9725 §4.2: the end of
// the session) and closes the endpoint. The DELETE's error, if any, is
// returned after the endpoint is closed.
func (s *Session) Close() error {
	var err error
	if s.Location != "" {
		req, rerr := http.NewRequest(http.MethodDelete, s.Location, nil)
		if rerr == nil {
			resp, derr := s.client.Do(req)
			if derr != nil {
				err = fmt.Errorf("endpoint: DELETE %s: %w", s.Location, derr)
			} else {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 != 2 {
					err = fmt.Errorf("endpoint: DELETE %s: %s", s.Location, resp.Status)
				}
			}
		}
		s.Location = ""
	}
	s.Endpoint.Close()
	return err
}
