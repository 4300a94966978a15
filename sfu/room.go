package sfu

// room groups the peers that publish into and subscribe to one name. A room
// exists while it has a peer.
type room struct {
	name        string
	publishers  []*peer
	subscribers []*peer
}

// tracks returns every track published in the room, oldest publisher first.
func (r *room) tracks() []*track {
	var ts []*track
	for _, p := range r.publishers {
		ts = append(ts, p.tracks...)
	}
	return ts
}

func (r *room) empty() bool { return len(r.publishers) == 0 && len(r.subscribers) == 0 }

func removePeer(list []*peer, p *peer) []*peer {
	for i, q := range list {
		if q == p {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}
