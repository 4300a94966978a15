package browsertest

import (
	"bytes"
	"image/png"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Chromium driven over the DevTools pipe: the page's script runs, Eval
// reads what it computed, and the screenshot is a PNG of the window's
// size whose pixels show the page's background colour.
func TestDevToolsEvalAndScreenshot(t *testing.T) {
	Require(t, Chromium)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><body style="margin:0;background:rgb(10,200,30)"><script>window.answer = 6 * 7;</script>`))
	}))
	defer srv.Close()
	d := LaunchDevTools(t, 640, 400)
	p, err := d.Open(srv.URL+"/", 640, 400)
	if err != nil {
		t.Fatalf("%v\nbrowser output:\n%s", err, d.Output())
	}
	if err := p.WaitFor("window.answer === 42", 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor("Promise.resolve(false)", time.Second); err == nil {
		t.Fatal("WaitFor took a promise of false for true")
	}
	if err := p.WaitFor("new Promise(r => setTimeout(() => r(window.answer), 50))", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	var got int
	if err := p.Eval("window.answer + 1", &got); err != nil || got != 43 {
		t.Fatalf("Eval = %d, %v; want 43", got, err)
	}
	if err := p.Eval("nosuchthing.x", nil); err == nil {
		t.Fatal("Eval of a throwing expression gave no error")
	}
	b, err := p.Screenshot()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if sz := img.Bounds().Size(); sz.X != 640 || sz.Y != 400 {
		t.Errorf("screenshot is %v, want 640x400", sz)
	}
	r, g, bl, _ := img.At(320, 200).RGBA()
	if r>>8 != 10 || g>>8 != 200 || bl>>8 != 30 {
		t.Errorf("pixel at the centre is (%d,%d,%d), want the page's (10,200,30)", r>>8, g>>8, bl>>8)
	}
}
