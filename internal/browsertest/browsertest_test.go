package browsertest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const probePage = `<!doctype html><script src="/report"></script><script>
report('hello', {ua: navigator.userAgent, rtc: typeof RTCPeerConnection});
</script>`

func servePage(t *testing.T, ln net.Listener) (*Collector, string) {
	c := NewCollector()
	mux := http.NewServeMux()
	mux.Handle("/report", c)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(probePage))
	})
	srv := httptest.NewUnstartedServer(mux)
	if ln != nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return c, srv.URL
}

func checkHello(t *testing.T, c *Collector, want string) {
	r := c.WaitKind(t, 30*time.Second, "hello", nil)
	var got struct{ UA, RTC string }
	if err := r.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.UA, want) || got.RTC != "function" {
		t.Fatalf("report = %+v, want a %s user agent with RTCPeerConnection", got, want)
	}
}

// A page served by an httptest server loads in headless Chromium and its
// fetch POST reaches the collector.
func TestChromiumReportsBack(t *testing.T) {
	Require(t, Chromium)
	c, url := servePage(t, nil)
	Launch(t, Chromium, url+"/")
	checkHello(t, c, "Chrome")
}

// Firefox inside the test's own network namespace loads a page from a server
// listening on NetnsServerIP.
func TestFirefoxReportsBackInNetns(t *testing.T) {
	Require(t, Firefox)
	if !InNetns(t) {
		return
	}
	ln, err := net.Listen("tcp", NetnsServerIP+":0")
	if err != nil {
		t.Fatal(err)
	}
	c, url := servePage(t, ln)
	Launch(t, Firefox, url+"/")
	checkHello(t, c, "Firefox")
}

func TestRunPattern(t *testing.T) {
	if got, want := runPattern("TestA/b.c"), `^TestA$/^b\.c$`; got != want {
		t.Fatalf("runPattern = %q, want %q", got, want)
	}
}

// Commands are handed out once, in order, to the page they were pushed
// for; other requests reach the collector.
func TestCommandsQueue(t *testing.T) {
	cmds := NewCommands()
	col := NewCollector()
	h := cmds.Handler(col)
	get := func(page string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/report?commands="+page, nil))
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q", ct)
		}
		return strings.TrimSpace(rec.Body.String())
	}
	if got := get("A"); got != "[]" {
		t.Fatalf("empty queue: %s", got)
	}
	cmds.Push("A", map[string]any{"do": "chat", "text": "hi"})
	cmds.Push("A", map[string]any{"do": "leave"})
	cmds.Push("B", map[string]any{"do": "reload"})
	if got, want := get("A"), `[{"do":"chat","text":"hi"},{"do":"leave"}]`; got != want {
		t.Fatalf("A got %s, want %s", got, want)
	}
	if got := get("A"); got != "[]" {
		t.Fatalf("A again: %s", got)
	}
	if got, want := get("B"), `[{"do":"reload"}]`; got != want {
		t.Fatalf("B got %s, want %s", got, want)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/report", strings.NewReader(`{"kind":"x"}`)))
	if rec.Code != http.StatusNoContent || len(col.All()) != 1 {
		t.Fatalf("POST to the collector: %d, %d reports", rec.Code, len(col.All()))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/report", nil))
	if !strings.Contains(rec.Body.String(), "window.report") {
		t.Fatalf("GET without commands should be the report script, got %q", rec.Body.String())
	}
}
