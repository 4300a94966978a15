package transport

import (
	"net"
	"os"
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

	dlMu      sync.Mutex
	dl        time.Time
	dlChanged chan struct{} // closed and replaced whenever the read deadline changes
}

type datagram struct {
	b []byte
	n int
}

func newPacketConn(p *Peer) *packetConn {
	return &packetConn{
		peer:      p,
		queue:     make(chan *datagram, dtlsQueueLen),
		closed:    make(chan struct{}),
		dlChanged: make(chan struct{}),
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

func (c *packetConn) deadline() (time.Time, chan struct{}) {
	c.dlMu.Lock()
	defer c.dlMu.Unlock()
	return c.dl, c.dlChanged
}

// ReadFrom returns the next queued DTLS datagram.
func (c *packetConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		dl, changed := c.deadline()
		var (
			timer   *time.Timer
			timeout <-chan time.Time
		)
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return 0, nil, os.ErrDeadlineExceeded
			}
			timer = time.NewTimer(d)
			timeout = timer.C
		}
		select {
		case d := <-c.queue:
			if timer != nil {
				timer.Stop()
			}
			n := copy(b, d.b[:d.n])
			c.peer.mux.putDatagram(d)
			return n, c.peer.remoteNetAddr(), nil
		case <-c.closed:
			if timer != nil {
				timer.Stop()
			}
			return 0, nil, net.ErrClosed
		case <-timeout:
			return 0, nil, os.ErrDeadlineExceeded
		case <-changed:
			if timer != nil {
				timer.Stop()
			}
		}
	}
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
	c.dlMu.Lock()
	c.dl = t
	close(c.dlChanged)
	c.dlChanged = make(chan struct{})
	c.dlMu.Unlock()
	return nil
}

// SetWriteDeadline is accepted and ignored: writes to a UDP socket do not
// block.
func (c *packetConn) SetWriteDeadline(time.Time) error { return nil }
