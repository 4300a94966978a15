package annotate

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText prints one frame (rtcdump's text form): a line of addresses and class, then indented
// lines of decoded fields with their RFC sections.
func WriteText(w io.Writer, r *Record) error {
	if r.Class == "skipped" {
		_, err := fmt.Fprintf(w, "#%d not a UDP datagram: %s\n", r.N, r.Reason)
		return err
	}
	dir := ""
	if r.Dir != "" {
		dir = " " + r.Dir
	}
	fmt.Fprintf(w, "#%d %s %s > %s%s %s %d bytes (RFC 7983)\n", r.N, r.Time, r.Src, r.Dst, dir, r.Class, r.Len)
	switch {
	case r.STUN != nil:
		s := r.STUN
		fmt.Fprintf(w, "    %s (RFC 8489 §5) transaction %s length %d\n", s.Type, s.TransactionID, s.Length)
		for _, a := range s.Attrs {
			fmt.Fprintf(w, "    %s %s (%s) len %d: %s\n", a.Type, a.Name, a.Ref, a.Length, a.Value)
		}
		fmt.Fprintf(w, "    integrity %s (RFC 8489 §14.5), fingerprint %s (RFC 8489 §14.7)\n", s.Integrity, s.Fingerprint)
	case r.DTLS != nil:
		for _, rec := range r.DTLS.Records {
			enc := ""
			if rec.Encrypted {
				enc = " encrypted"
			}
			fmt.Fprintf(w, "    record %s %s epoch %d seq %d length %d%s (RFC 6347 §4.1)\n", rec.ContentType, rec.Version, rec.Epoch, rec.Sequence, rec.Length, enc)
			for _, h := range rec.Handshake {
				fmt.Fprintf(w, "      %s length %d message_seq %d fragment %d+%d (RFC 6347 §4.2.2)\n", h.Type, h.Length, h.MessageSeq, h.FragmentOffset, h.FragmentLength)
				if h.Random != "" {
					fmt.Fprintf(w, "        random %s (RFC 5246 §7.4.1.2)\n", h.Random)
				}
				if h.CipherSuite != "" {
					fmt.Fprintf(w, "        cipher_suite %s (RFC 5246 §7.4.1.3)\n", h.CipherSuite)
				}
				if len(h.SRTPProfiles) > 0 {
					fmt.Fprintf(w, "        use_srtp %s (RFC 5764 §4.1.1)\n", strings.Join(h.SRTPProfiles, ","))
				}
			}
		}
	case r.RTP != nil:
		writeRTP(w, r)
	case r.RTCP != nil:
		writeRTCP(w, r)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "    error: %s\n", r.Error)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func writeRTP(w io.Writer, r *Record) {
	p := r.RTP
	codec := ""
	if p.Codec != "" {
		codec = " " + p.Codec + " (RFC 8866 §6.6 rtpmap)"
	}
	fmt.Fprintf(w, "    RTP (RFC 3550 §5.1): V=%d P=%d X=%d CC=%d M=%d PT=%d%s\n", p.Version, b2i(p.Padding), b2i(p.Extension), len(p.CSRC), b2i(p.Marker), p.PT, codec)
	fmt.Fprintf(w, "    seq %d timestamp %d ssrc %d header %d payload %d bytes (RFC 3550 §5.1)\n", p.Seq, p.Timestamp, p.SSRC, p.HeaderLen, p.PayloadLen)
	for _, c := range p.CSRC {
		fmt.Fprintf(w, "    csrc %d (RFC 3550 §5.1)\n", c)
	}
	if p.ExtProfile != "" {
		fmt.Fprintf(w, "    extension profile %s (RFC 3550 §5.3.1, RFC 8285 §4)\n", p.ExtProfile)
	}
	for _, e := range p.Ext {
		ref := e.Ref
		if ref == "" {
			ref = "RFC 8285 §4"
		}
		fmt.Fprintf(w, "      ext id %d %s (%s): %s\n", e.ID, e.Name, ref, e.Value)
	}
	writeSRTP(w, r)
	if p.Keyframe != nil {
		fmt.Fprintf(w, "    keyframe %v (%s)\n", *p.Keyframe, keyframeRef(p.Codec))
	}
}

func writeSRTP(w io.Writer, r *Record) {
	if r.SRTP == nil {
		return
	}
	fmt.Fprintf(w, "    srtp auth %s (RFC 3711 §3.3)", r.SRTP.Auth)
	if r.SRTP.Replay {
		fmt.Fprint(w, ", replayed index (RFC 3711 §3.3.2)")
	}
	if r.SRTP.Error != "" {
		fmt.Fprintf(w, ": %s", r.SRTP.Error)
	}
	fmt.Fprintln(w)
}

func writeRTCP(w io.Writer, r *Record) {
	c := r.RTCP
	ref := "RFC 3550 §6.1"
	if n, ok := rtcpTypeNames[c.PT]; ok {
		ref = n[1]
	}
	fmt.Fprintf(w, "    RTCP PT=%d %s (%s) count %d length %d ssrc %d\n", c.PT, c.Type, ref, c.Count, c.Length, c.SSRC)
	if c.Index != nil {
		fmt.Fprintf(w, "    SRTCP E=%d index %d (RFC 3711 §3.4)\n", b2i(*c.Encrypted), *c.Index)
	}
	writeSRTP(w, r)
	for _, p := range c.Packets {
		fmt.Fprintf(w, "    %s PT=%d count/FMT %d (%s)\n", p.Type, p.PT, p.Count, p.Ref)
		for _, f := range p.Fields {
			fmt.Fprintf(w, "      %s %s (%s)\n", f.Name, f.Value, f.Ref)
		}
	}
}

// WriteSummary prints the end-of-capture summary.
func WriteSummary(w io.Writer, s *Summary) {
	fmt.Fprintf(w, "\nsummary: %d frames, %d UDP datagrams, %d skipped\n", s.Frames, s.Datagrams, s.Skipped)
	printMap(w, "classes", s.Classes)
	printMap(w, "stun types", s.STUNTypes)
	printMap(w, "stun integrity", s.STUNIntegrity)
	printMap(w, "stun fingerprint", s.STUNFingerprint)
	printMap(w, "srtp auth", s.SRTPAuth)
	printMap(w, "srtcp auth", s.SRTCPAuth)
	printMap(w, "rtcp packets", s.RTCPTypes)
	if len(s.Streams) > 0 {
		fmt.Fprintln(w, "streams:")
	}
	for _, st := range s.Streams {
		jit := fmt.Sprintf("jitter %d", st.Jitter)
		if st.JitterMS != 0 {
			jit = fmt.Sprintf("jitter %.2f ms", st.JitterMS)
		}
		fmt.Fprintf(w, "  ssrc %d pt %d %s %s: %d packets, lost %d, %s\n", st.SSRC, st.PT, st.Codec, st.Dir, st.Packets, st.Lost, jit)
	}
}

func printMap(w io.Writer, name string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	fmt.Fprintf(w, "%s: %s\n", name, strings.Join(parts, ", "))
}

// keyframeRef is where the payload format says how a key frame is marked.
func keyframeRef(codec string) string {
	if ref := KeyframeRef(codec); ref != "" {
		return ref
	}
	return "payload format"
}

// KeyframeRef is the section of codec's RTP payload format ("VP8/90000",
// …) that says how a key frame is marked, "" for a codec this package
// does not detect key frames of.
func KeyframeRef(codec string) string {
	switch c := strings.ToUpper(codec); {
	case strings.HasPrefix(c, "VP8/"):
		return "RFC 7741 §4.3"
	case strings.HasPrefix(c, "VP9/"):
		return "RFC 9628 §4.2"
	case strings.HasPrefix(c, "H264/"):
		return "RFC 6184 §5"
	}
	return ""
}
