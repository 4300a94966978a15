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
