package sfu

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// logRecord is one line a Server logged, attributes flattened to text.
type logRecord struct {
	Level slog.Level
	Msg   string
	Attrs map[string]string
}

// logRecorder is a slog.Handler keeping every record, for tests that
// assert what was logged and at which level.
type logRecorder struct {
	mu      *sync.Mutex
	records *[]logRecord
	attrs   []slog.Attr
}

func newLogRecorder() logRecorder {
	return logRecorder{mu: &sync.Mutex{}, records: &[]logRecord{}}
}

func (h logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h logRecorder) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{Level: r.Level, Msg: r.Message, Attrs: map[string]string{}}
	for _, a := range h.attrs {
		rec.Attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		rec.Attrs[a.Key] = a.Value.String()
		return true
	})
	h.mu.Lock()
	*h.records = append(*h.records, rec)
	h.mu.Unlock()
	return nil
}

func (h logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	h.attrs = append(append([]slog.Attr(nil), h.attrs...), as...)
	return h
}

func (h logRecorder) WithGroup(string) slog.Handler { return h }

// all returns a copy of the records so far.
func (h logRecorder) all() []logRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]logRecord(nil), *h.records...)
}

// find returns the records with message msg.
func (h logRecorder) find(msg string) []logRecord {
	var out []logRecord
	for _, r := range h.all() {
		if r.Msg == msg {
			out = append(out, r)
		}
	}
	return out
}

// waitFor waits until a record with message msg (and, if attr is not "",
// attribute attr) exists and returns it.
func (h logRecorder) waitFor(t *testing.T, msg string, d time.Duration) logRecord {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		if rs := h.find(msg); len(rs) > 0 {
			return rs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q logged within %v; log:\n%s", msg, d, h)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h logRecorder) String() string {
	var b strings.Builder
	for _, r := range h.all() {
		fmt.Fprintf(&b, "%s %q %v\n", r.Level, r.Msg, r.Attrs)
	}
	return b.String()
}
