package transport

import (
	"net"
	"os"
	"sync"
	"time"
)

// ReadDeadline is the read deadline of a net.PacketConn that feeds its
// reader from a queue (pion/dtls reads the DTLS datagrams the mux queues
// for a peer this way, and so does the endpoint's): a reader blocked in
// Await sees a deadline set while it waits. The zero value has no
// deadline.
type ReadDeadline struct {
	mu      sync.Mutex
	t       time.Time
	changed chan struct{} // closed and replaced whenever the deadline changes
}

// Set sets the deadline (the zero time removes it) and wakes a waiting
// reader to apply it.
func (d *ReadDeadline) Set(t time.Time) {
	d.mu.Lock()
	d.t = t
	if d.changed != nil {
		close(d.changed)
	}
	d.changed = make(chan struct{})
	d.mu.Unlock()
}

func (d *ReadDeadline) get() (time.Time, chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.changed == nil {
		d.changed = make(chan struct{})
	}
	return d.t, d.changed
}

// Await returns the next item of queue, or net.ErrClosed once closed is
// closed, or os.ErrDeadlineExceeded when d passes first.
func Await[T any](d *ReadDeadline, queue <-chan T, closed <-chan struct{}) (T, error) {
	var zero T
	for {
		dl, changed := d.get()
		var timeout <-chan time.Time
		var timer *time.Timer
		if !dl.IsZero() {
			wait := time.Until(dl)
			if wait <= 0 {
				return zero, os.ErrDeadlineExceeded
			}
			timer = time.NewTimer(wait)
			timeout = timer.C
		}
		stop := func() {
			if timer != nil {
				timer.Stop()
			}
		}
		select {
		case v := <-queue:
			stop()
			return v, nil
		case <-closed:
			stop()
			return zero, net.ErrClosed
		case <-timeout:
			return zero, os.ErrDeadlineExceeded
		case <-changed:
			stop() // the deadline moved: wait again with the new one
		}
	}
}
