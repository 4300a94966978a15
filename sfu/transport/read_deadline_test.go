package transport

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// Await returns what is queued, honours a deadline set before or while it
// waits, and ends on close.
func TestAwait(t *testing.T) {
	var d ReadDeadline
	q := make(chan int, 1)
	closed := make(chan struct{})
	q <- 7
	if v, err := Await(&d, q, closed); v != 7 || err != nil {
		t.Fatalf("queued item: %d %v", v, err)
	}
	d.Set(time.Now().Add(-time.Second))
	if _, err := Await(&d, q, closed); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("past deadline: %v", err)
	}
	d.Set(time.Time{})
	go func() {
		time.Sleep(20 * time.Millisecond)
		d.Set(time.Now().Add(10 * time.Millisecond)) // set while Await waits
	}()
	start := time.Now()
	if _, err := Await(&d, q, closed); !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("deadline set while waiting: %v after %v", err, time.Since(start))
	}
	d.Set(time.Time{})
	close(closed)
	if _, err := Await(&d, q, closed); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
}
