package browsertest

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Report is one JSON message a page POSTed to a [Collector]: an object with a
// "kind" field (e.g. "state", "stats", "error") and anything else.
type Report struct {
	Kind string
	Raw  json.RawMessage // the whole object
}

// Decode unmarshals the whole report object into v.
func (r Report) Decode(v any) error { return json.Unmarshal(r.Raw, v) }

// Collector is an http.Handler that receives reports from pages: POST a JSON
// object with a "kind" field. GET returns [ReportScript]. Mount it at a path
// of the test's server, e.g. mux.Handle("/report", c).
type Collector struct {
	mu      sync.Mutex
	reports []Report
	changed chan struct{} // closed and replaced on each new report
}

// NewCollector returns an empty collector.
func NewCollector() *Collector { return &Collector{changed: make(chan struct{})} }

// ReportScript defines report(kind, obj) for pages: it POSTs
// {kind, ...obj} to the URL the script was loaded from ("/report" when
// served by a Collector mounted at "/report").
const ReportScript = `window.report = function(kind, obj) {
  const body = Object.assign({kind: kind}, obj || {});
  return fetch('/report', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)}).catch(function(){});
};
window.addEventListener('error', function(e) { report('error', {message: String(e.message)}); });
window.addEventListener('unhandledrejection', function(e) { report('error', {message: String(e.reason)}); });
`

func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, ReportScript)
		return
	case http.MethodPost:
	default:
		http.Error(w, "POST a JSON report", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(body, &head); err != nil || head.Kind == "" {
		http.Error(w, "want a JSON object with a kind field", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.reports = append(c.reports, Report{Kind: head.Kind, Raw: body})
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// All returns every report received so far.
func (c *Collector) All() []Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Report(nil), c.reports...)
}

// Wait returns the first report (oldest first) for which match returns true,
// waiting up to timeout for it to arrive. ok is false on timeout.
func (c *Collector) Wait(timeout time.Duration, match func(Report) bool) (r Report, ok bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		c.mu.Lock()
		reports, changed := c.reports, c.changed
		c.mu.Unlock()
		for ; seen < len(reports); seen++ {
			if match(reports[seen]) {
				return reports[seen], true
			}
		}
		select {
		case <-changed:
		case <-deadline.C:
			return Report{}, false
		}
	}
}

// WaitKind waits for a report of the given kind; when an "error" report
// arrives first, or on timeout, it fails the test with what the pages said.
func (c *Collector) WaitKind(t testing.TB, timeout time.Duration, kind string, match func(Report) bool) Report {
	t.Helper()
	r, ok := c.Wait(timeout, func(r Report) bool {
		return r.Kind == "error" || (r.Kind == kind && (match == nil || match(r)))
	})
	if !ok {
		t.Fatalf("browsertest: no %q report within %v; reports so far:\n%s", kind, timeout, c.dump())
	}
	if r.Kind == "error" && kind != "error" {
		t.Fatalf("browsertest: page reported an error while waiting for %q: %s\nall reports:\n%s", kind, r.Raw, c.dump())
	}
	return r
}

func (c *Collector) dump() string {
	var s string
	for _, r := range c.All() {
		s += string(r.Raw) + "\n"
	}
	return s
}

// Last returns the most recent report for which match returns true.
func (c *Collector) Last(match func(Report) bool) (Report, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.reports) - 1; i >= 0; i-- {
		if match(c.reports[i]) {
			return c.reports[i], true
		}
	}
	return Report{}, false
}
