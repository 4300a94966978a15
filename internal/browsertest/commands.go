package browsertest

import (
	"encoding/json"
	"net/http"
	"sync"
)

// Commands queues commands for pages that poll for them: a test cannot
// push to a page, so a page in test mode asks every few hundred
// milliseconds with GET <collector path>?commands=<page key> and runs what
// it gets (cmd/demo's room page polls /report?commands=<its name>).
type Commands struct {
	mu sync.Mutex
	q  map[string][]json.RawMessage
}

// NewCommands returns an empty queue.
func NewCommands() *Commands { return &Commands{q: map[string][]json.RawMessage{}} }

// Push queues cmd (marshalled to JSON) for the page with the given key.
func (c *Commands) Push(page string, cmd any) error {
	b, err := json.Marshal(cmd)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.q[page] = append(c.q[page], b)
	c.mu.Unlock()
	return nil
}

// Handler answers GET requests with a "commands" query parameter with the
// JSON array of the commands queued for that page (empty when none),
// which it removes from the queue; every other request goes to next
// (usually the [Collector], so both live at one path).
func (c *Commands) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !r.URL.Query().Has("commands") {
			next.ServeHTTP(w, r)
			return
		}
		page := r.URL.Query().Get("commands")
		c.mu.Lock()
		q := c.q[page]
		delete(c.q, page)
		c.mu.Unlock()
		if q == nil {
			q = []json.RawMessage{}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(q)
	})
}
