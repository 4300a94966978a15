// Package browsertest launches real headless browsers (Chromium, Firefox ESR)
// from Go tests and collects what their pages report back.
//
// The recipe is the team's browser notes (docs/BROWSERS.md): Chromium runs with
// fake media devices and loopback ICE candidates; Firefox, which never
// gathers loopback candidates, runs inside a network namespace the test
// creates itself (see [InNetns]). Pages should be served from 127.0.0.1,
// even inside the namespace, because getUserMedia needs a secure context.
//
// Pages talk back with fetch POSTs of JSON to a [Collector] mounted on the
// test's HTTP server; no WebDriver is involved. Where a test must act on
// a page from outside — click as a user would, take a screenshot once a
// room has settled — [LaunchDevTools] drives Chromium over the Chrome
// DevTools Protocol through --remote-debugging-pipe (NUL-separated JSON
// on file descriptors 3 and 4; no port, no websocket).
//
// Rules kept here: every browser gets a fresh profile directory and is killed
// by its process id in t.Cleanup; tests skip with a clear message when a
// browser is missing, unless PLAINRTC_REQUIRE_BROWSER=1 (CI), in which case
// they fail.
package browsertest
