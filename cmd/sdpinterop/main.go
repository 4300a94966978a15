// Command sdpinterop checks sdp.Answer and sdp.Offer against a real
// browser: headless Chromium or Firefox applies the answer to its offer
// and three server-initiated renegotiations, and the tool prints what the
// browser reports. The same check runs as a browser test
// (interop_test.go, in CI); README.md beside it gives the commands and the
// findings.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"time"
)

func main() {
	opts := options{strict: os.Getenv("STRICT") != "", videoOnly: os.Getenv("VIDEOONLY") != "",
		host: "127.0.0.1", show: os.Getenv("SHOW") != ""}
	if os.Getenv("FF") != "" {
		opts.host = "10.99.0.1"
	}
	s := newInterop(opts, func(f string, a ...any) { fmt.Printf(f+"\n", a...) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go http.Serve(ln, s.handler())
	url := fmt.Sprintf("http://127.0.0.1:%d/page?%s", ln.Addr().(*net.TCPAddr).Port, os.Getenv("PAGEQUERY"))
	dir, _ := os.MkdirTemp("", "sdpinterop")
	var cmd *exec.Cmd
	if os.Getenv("FF") != "" {
		os.WriteFile(dir+"/user.js", []byte(`user_pref("media.navigator.streams.fake", true);
user_pref("media.navigator.permission.disabled", true);
user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("app.update.enabled", false);
`), 0o644)
		cmd = exec.Command("firefox-esr", "--headless", "--no-remote", "--profile", dir, url)
	} else {
		cmd = exec.Command("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--user-data-dir="+dir, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
			"--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns", url)
	}
	if err := cmd.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer func() { cmd.Process.Kill(); cmd.Wait(); os.RemoveAll(dir) }()
	select {
	case res := <-s.done:
		fmt.Println("RESULT:", res)
	case <-time.After(60 * time.Second):
		fmt.Println("RESULT: timeout")
	}
}
