package transport

import (
	"net"
	"sync"
	"time"
)

// dtlsQueueLen is how many DTLS datagrams may wait for pion/dtls to read
// them; more are dropped and counted (DropQueueFull).
const dtlsQueueLen = 128

// packetConn is the net.PacketConn pion/dtls runs over for one peer. The
// mux's read loop pushes copies of the peer's DTLS datagrams into queue;
// writes go straight to the shared socket, to the peer's selected address
// (whatever address pion passes: ICE may have moved the peer since the
// handshake began).
type packetConn struct {
	peer  *Peer
	queue chan *datagram

	closeOnce sync.Once
	closed    chan struct{}

	dl ReadDeadline
}

type datagram struct {
	b []byte
	n int
}

func newPacketConn(p *Peer) *packetConn {
	return &packetConn{
		peer:   p,
		queue:  make(chan *datagram, dtlsQueueLen),
		closed: make(chan struct{}),
	}
}

// push is called by the read loop; it never blocks.
func (c *packetConn) push(d *datagram) bool {
	select {
	case <-c.closed:
		return false
	default:
	}
	select {
	case c.queue <- d:
		return true
	default:
		return false
	}
}

// ReadFrom returns the next queued DTLS datagram.
func (c *packetConn) ReadFrom(b []byte) (int, net.Addr, error) {
	d, err := Await(&c.dl, c.queue, c.closed)
	if err != nil {
		return 0, nil, err
	}
	n := copy(b, d.b[:d.n])
	c.peer.mux.putDatagram(d)
	return n, c.peer.remoteNetAddr(), nil
}

// WriteTo sends b to the peer's selected remote address.
func (c *packetConn) WriteTo(b []byte, _ net.Addr) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	return c.peer.Write(b)
}

// Close stops reads; it does not close the shared socket.
func (c *packetConn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		for {
			select {
			case d := <-c.queue:
				c.peer.mux.putDatagram(d)
			default:
				return
			}
		}
	})
	return nil
}

func (c *packetConn) LocalAddr() net.Addr { return c.peer.mux.LocalAddr() }

func (c *packetConn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

func (c *packetConn) SetReadDeadline(t time.Time) error {
	c.dl.Set(t)
	return nil
}

// SetWriteDeadline is accepted and ignored: writes to a UDP socket do not
// block.
func (c *packetConn) SetWriteDeadline(time.Time) error { return nil }
