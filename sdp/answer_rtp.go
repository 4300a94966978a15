package sdp

import (
	"slices"
	"strconv"
	"strings"
)

// answerRTP writes the attributes of an accepted RTP m= section
// (RFC 9429 §5.3.1 list of "each m= section MUST contain").
func answerRTP(b *Builder, offer *Session, m *Media, formats []string, cfg *Config) {
	ml := m.MediaLine()
	track, hasTrack := LocalTrack{}, false
	if mid, ok := m.MID(); ok {
		track, hasTrack = cfg.Tracks[mid]
	}
	offered := offer.Direction(m)
	// RFC 3264 §6.1: the answer may send only if the offer receives, and
	// receives only what the offer sends. The server receives all it is
	// offered and sends where it has a track.
	dir := makeDirection(hasTrack && offered.Receives(), offered.Sends())
	b.Flag(string(dir))
	b.Flag("rtcp-mux")
	if m.RTCPRsize() {
		b.Flag("rtcp-rsize")
	}
	codecs := cfg.codecs()
	for _, f := range formats {
		r, _ := formatRTPMap(m, f)
		b.Attr("rtpmap", r.String())
		if fm, ok := m.FMTP(f); ok {
			b.Attr("fmtp", fm.Format+" "+fm.Params)
		}
		c := codecFor(m, ml.Media, f, codecs)
		if c == nil { // rtx: no feedback of its own
			continue
		}
		// RTCPFeedback yields the format's own lines and the "*" ones
		// (RFC 4585 §4.2); one offered both ways is answered once.
		var written []RTCPFB
		for fb := range m.RTCPFeedback(f) {
			fb.Format = ""
			if supportsFeedback(c, fb) && !slices.Contains(written, fb) {
				written = append(written, fb)
				b.Attr("rtcp-fb", f+" "+fb.Type+optional(fb.Param))
			}
		}
	}
	exts := cfg.extensions()
	hasRID := false
	if m.HasAttribute("extmap-allow-mixed") && !offer.HasAttribute("extmap-allow-mixed") {
		b.Flag("extmap-allow-mixed") // RFC 8285 §6: offered at media level
	}
	for e := range offer.ExtMaps(m) {
		if e.URI == ExtMID || slices.Contains(exts, e.URI) {
			// RFC 8285 §7: an offered direction is answered with its
			// reverse (sendonly -> recvonly, ...); none means sendrecv.
			// Extension attributes are dropped: the server uses none.
			answered := ExtMap{ID: e.ID, URI: e.URI}
			if e.Direction != "" {
				answered.Direction = string(Direction(e.Direction).Reverse())
			}
			b.Attr("extmap", answered.String())
			hasRID = hasRID || e.URI == ExtRTPStreamID
		}
	}
	if dir.Sends() {
		b.Attr("msid", track.msid())
		writeSSRCs(b, track, hasRTX(formats, m))
	}
	if sim, ok := m.Simulcast(); ok && sim.Send != "" && hasRID && offered.Sends() {
		answerSimulcast(b, m, sim, formats)
	}
}

func optional(p string) string {
	if p == "" {
		return ""
	}
	return " " + p
}

func supportsFeedback(c *Codec, fb RTCPFB) bool {
	for _, s := range c.Feedback {
		if s.Type == fb.Type && s.Param == fb.Param {
			return true
		}
	}
	return false
}

func hasRTX(formats []string, m *Media) bool {
	for _, f := range formats {
		if r, ok := formatRTPMap(m, f); ok && strings.EqualFold(r.Encoding, "rtx") {
			return true
		}
	}
	return false
}

// writeSSRCs writes a=ssrc-group:FID and a=ssrc lines (RFC 5576 §4,
// RFC 4588 §8.1) for a sent track.
func writeSSRCs(b *Builder, t LocalTrack, rtx bool) {
	if t.SSRC == 0 {
		return
	}
	ssrcs := []uint32{t.SSRC}
	if rtx && t.RTXSSRC != 0 {
		ssrcs = append(ssrcs, t.RTXSSRC)
		b.Attr("ssrc-group", "FID "+strconv.FormatUint(uint64(t.SSRC), 10)+" "+strconv.FormatUint(uint64(t.RTXSSRC), 10))
	}
	for _, s := range ssrcs {
		id := strconv.FormatUint(uint64(s), 10)
		if t.CNAME != "" {
			b.Attr("ssrc", id+" cname:"+t.CNAME)
		}
		b.Attr("ssrc", id+" msid:"+t.msid())
	}
}

// answerSimulcast receives every simulcast stream the offer sends:
// a=rid:<id> recv for each offered send rid, and a=simulcast:recv with the
// offered stream list (RFC 8853 §5.3, RFC 8851 §6.3). Rids the offer lists
// in a=simulcast without an a=rid line are left out, and so are rids whose
// pt= restriction names no accepted format (RFC 8851 §6.2.2: the answerer
// removes a rid none of whose payload types it accepts).
func answerSimulcast(b *Builder, m *Media, sim Simulcast, formats []string) {
	var list strings.Builder
	stream := ""
	flush := func(sep byte) {
		if stream != "" {
			if list.Len() > 0 {
				list.WriteByte(sep)
			}
			list.WriteString(stream)
		}
		stream = ""
	}
	offeredSend := map[string]bool{}
	for r := range m.RIDs() {
		if r.Direction == "send" && ridFormatAccepted(r, formats) {
			offeredSend[r.ID] = true
		}
	}
	// Keep the ';' structure: each stream is a ',' list of alternatives.
	for s := range strings.SplitSeq(sim.Send, ";") {
		for alt := range strings.SplitSeq(s, ",") {
			id := strings.TrimPrefix(alt, "~")
			if !offeredSend[id] {
				continue
			}
			b.Attr("rid", id+" recv")
			if stream != "" {
				stream += ","
			}
			stream += alt
		}
		flush(';')
	}
	if list.Len() > 0 {
		b.Attr("simulcast", "recv "+list.String())
	}
}

// ridFormatAccepted reports whether r has no pt= restriction or names at
// least one of the accepted formats (RFC 8851 §4, §6.2.2).
func ridFormatAccepted(r RID, formats []string) bool {
	pts := r.PayloadTypes()
	if pts == "" {
		return true
	}
	for pt := range strings.SplitSeq(pts, ",") {
		if slices.Contains(formats, pt) {
			return true
		}
	}
	return false
}
