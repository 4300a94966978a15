// Package static holds the demo's web pages (the WHIP/WHEP test page and
// the room page /r/{room}) for the programs that serve them: cmd/demo and
// cmd/capture, through internal/roompage.
package static

import "embed"

// FS is the pages, scripts and style sheets of this directory.
//
//go:embed *.html *.js *.css
var FS embed.FS
