package transport

import "fmt"

// AddUfrag routes STUN whose USERNAME names ufrag to p too: after an ICE
// restart (RFC 8445 §9) the peer checks with our new local ufrag while
// the old one may still arrive for a while. Both are released on Close.
func (p *Peer) AddUfrag(ufrag string) error {
	if ufrag == "" {
		return fmt.Errorf("transport: empty local ufrag (RFC 8839 §5.4)")
	}
	m := p.mux
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if q, dup := m.byUfrag[ufrag]; dup && q != p {
		return fmt.Errorf("transport: local ufrag %q already registered", ufrag)
	}
	m.byUfrag[ufrag] = p
	p.aliases = append(p.aliases, ufrag)
	return nil
}
