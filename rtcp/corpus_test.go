package rtcp_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/rtcp"
	"github.com/plainrtc/plainrtc/srtp"
)

// pionName maps a packet to the type pion/rtcp's Unmarshal gives it, which is
// how truth.json's rtcp_types counts. pion's Unmarshal walks the compound
// and returns one Packet per RTCP packet, so a compound counts once per
// packet in it (SR+SDES is one SR and one SDES; RR+NACK one of each), as the
// Iterator counts here; it checks no compound rule, but one packet that
// fails to parse fails the whole datagram (none of its packets counted).
// Its factory switches on PT and then on FMT for RTPFB/PSFB as Packet.Kind
// does, with two differences handled below: every PSFB FMT=15 is a
// *rtcp.ReceiverEstimatedMaximumBitrate for pion (whose Unmarshal then fails
// on a non-"REMB" identifier) where Kind keeps non-REMB application-layer
// feedback raw, and RTPFB FMT=5 is pion's *rtcp.RapidResynchronizationRequest
// (RFC 6051), raw here. In the seed corpus every datagram parses and the
// counts agree one for one.
func pionName(p *rtcp.Packet) string {
	switch p.Kind() {
	case rtcp.KindSenderReport:
		return "*rtcp.SenderReport"
	case rtcp.KindReceiverReport:
		return "*rtcp.ReceiverReport"
	case rtcp.KindSourceDescription:
		return "*rtcp.SourceDescription"
	case rtcp.KindGoodbye:
		return "*rtcp.Goodbye"
	case rtcp.KindApplicationDefined:
		return "*rtcp.ApplicationDefined"
	case rtcp.KindExtendedReport:
		return "*rtcp.ExtendedReport"
	case rtcp.KindNACK:
		return "*rtcp.TransportLayerNack"
	case rtcp.KindCCFeedback:
		return "*rtcp.CCFeedbackReport"
	case rtcp.KindTransportCC:
		return "*rtcp.TransportLayerCC"
	case rtcp.KindPLI:
		return "*rtcp.PictureLossIndication"
	case rtcp.KindSLI:
		return "*rtcp.SliceLossIndication"
	case rtcp.KindFIR:
		return "*rtcp.FullIntraRequest"
	case rtcp.KindREMB:
		return "*rtcp.ReceiverEstimatedMaximumBitrate"
	}
	if p.Type == rtcp.TypePayloadFeedback && p.Count == rtcp.FormatAppLayer {
		return "*rtcp.ReceiverEstimatedMaximumBitrate"
	}
	if p.Type == rtcp.TypeTransportFeedback && p.Count == 5 {
		return "*rtcp.RapidResynchronizationRequest"
	}
	return "*rtcp.RawPacket"
}

// decryptRTCP returns every SRTCP packet of the session, decrypted, with
// whether the browser sent it.
type clearRTCP struct {
	frame       int
	fromBrowser bool
	b           []byte
}

func decryptRTCP(t *testing.T, s *conformance.Session) []clearRTCP {
	t.Helper()
	ctxs := map[string]*srtp.Context{}
	var out []clearRTCP
	for _, d := range s.Datagrams {
		b := d.Payload
		if len(b) < 2 || b[0] < 128 || b[0] > 191 || b[1]&0x7f < 64 || b[1]&0x7f > 95 {
			continue // not RTP/RTCP, or RTP (RFC 7983, RFC 5761 §4)
		}
		key, salt := s.SRTPKeys(d)
		c := ctxs[string(key)]
		if c == nil {
			var err error
			if c, err = srtp.NewContext(srtp.Profile(s.SRTPProfile), key, salt); err != nil {
				t.Fatal(err)
			}
			ctxs[string(key)] = c
		}
		clear, err := c.DecryptRTCP(bytes.Clone(b))
		if err != nil {
			t.Fatalf("frame %d: SRTCP: %v", d.N, err)
		}
		out = append(out, clearRTCP{d.N, s.FromBrowser(d), clear})
	}
	if s.HasTruth && len(out) != s.Truth.Counts.SRTCPOK {
		t.Fatalf("%d SRTCP packets decrypted, truth.json says %d", len(out), s.Truth.Counts.SRTCPOK)
	}
	return out
}

// sdpCNAMEs reads a=ssrc:<ssrc> cname:<cname> lines (RFC 5576 §4.1) of
// both descriptions.
func sdpCNAMEs(sdps ...[]byte) map[uint32]string {
	m := map[uint32]string{}
	for _, line := range strings.Split(string(bytes.Join(sdps, nil)), "\r\n") {
		var ssrc uint32
		var cname string
		if n, _ := fmt.Sscanf(line, "a=ssrc:%d cname:%s", &ssrc, &cname); n == 2 {
			m[ssrc] = cname
		}
	}
	return m
}

// streamSSRCs are the SSRCs of the session's RTP streams, read from the
// SRTP headers (RFC 3711 §3.1 leaves the RTP header in clear).
func streamSSRCs(s *conformance.Session) map[uint32]bool {
	m := map[uint32]bool{}
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) == demux.RTP && len(d.Payload) >= 12 {
			m[binary.BigEndian.Uint32(d.Payload[8:])] = true
		}
	}
	return m
}

// TestCorpus: every SRTCP packet of every session decrypts (srtp), is a valid
// reduced-size compound (RFC 5506 §3.4; both browsers and pion negotiate
// a=rtcp-rsize), and every RTCP packet in it decodes and marshals back to the
// same bytes, as does the whole compound. The per-type counts equal
// truth.json's rtcp_types (pion's names; see pionName for the mapping).
// Decoded values are checked against the session: report blocks and NACKs
// name SSRCs of streams in the capture, SDES CNAMEs match the SDPs' a=ssrc
// cname lines, and transport-cc feedback is rebuilt byte for byte by
// TWCCBuilder from the (seq, arrival) pairs it carries: all of it in at
// least one direction (Chrome's and Firefox's encoders make TWCCBuilder's
// chunk choices; pion's, the answerer here, not always), whichever side the
// roles say sent it. Every TWCC packet (both directions) is also decoded by
// tshark, whose chunks, sequence numbers and deltas must equal ours. A
// session without SRTCP (data channel only) skips.
func TestCorpus(t *testing.T)        { conformance.ForEachSession(t, checkCorpusRTCP) }
func TestCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, checkCorpusRTCP) }

func checkCorpusRTCP(t *testing.T, s *conformance.Session) {
	{
		counts := map[string]int{}
		streams := streamSSRCs(s)
		cnames := sdpCNAMEs(s.Offer, s.Answer)
		var d rtcp.Decoder
		var strict, cnameOK, blocks, nacks, twccBrowser, twccRebuilt, twccServer, twccServerRebuilt int
		var out []byte
		var twccPkts [][]byte
		clear := decryptRTCP(t, s)
		if len(clear) == 0 {
			t.Skipf("no SRTCP in the session (the browser sends %v): nothing to decode", s.Roles.BrowserPeer().Sends)
		}
		for _, c := range clear {
			if err := rtcp.ValidateReducedSize(c.b); err != nil {
				t.Errorf("frame %d: %v", c.frame, err)
				continue
			}
			first := rtcp.PacketType(c.b[1])
			err := rtcp.ValidateCompound(c.b)
			if isReport := first == rtcp.TypeSenderReport || first == rtcp.TypeReceiverReport; isReport != (err == nil) {
				t.Errorf("frame %d: first packet %v, ValidateCompound: %v", c.frame, first, err)
			}
			if err == nil {
				strict++
			}
			out = out[:0]
			it := rtcp.NewIterator(c.b)
			var p rtcp.Packet
			for it.Next(&p) {
				counts[pionName(&p)]++
				m, err := d.Decode(&p)
				if err != nil {
					t.Errorf("frame %d: %v: %v", c.frame, p.Kind(), err)
					continue
				}
				start := len(out)
				if out, err = rtcp.AppendCompound(out, m); err != nil {
					t.Errorf("frame %d: %v: marshal: %v", c.frame, p.Kind(), err)
					continue
				}
				if !bytes.Equal(out[start:], p.Raw) {
					t.Errorf("frame %d: %v does not round-trip\n got %x\nwant %x", c.frame, p.Kind(), out[start:], p.Raw)
				}
				switch p.Kind() {
				case rtcp.KindReceiverReport:
					for _, r := range d.ReceiverReport.Reports {
						blocks++
						if !streams[r.SSRC] {
							t.Errorf("frame %d: RR block for unknown SSRC %d", c.frame, r.SSRC)
						}
					}
				case rtcp.KindSenderReport:
					if !streams[d.SenderReport.SSRC] {
						t.Errorf("frame %d: SR from SSRC %d, which sent no RTP", c.frame, d.SenderReport.SSRC)
					}
				case rtcp.KindNACK:
					nacks++
					if !streams[d.NACK.MediaSSRC] {
						t.Errorf("frame %d: NACK for unknown SSRC %d", c.frame, d.NACK.MediaSSRC)
					}
				case rtcp.KindSourceDescription:
					for _, ch := range d.SourceDescription.Chunks {
						got, ok := d.SourceDescription.CNAME(ch.Source)
						if want, inOffer := cnames[ch.Source]; ok && inOffer {
							if string(got) != want {
								t.Errorf("frame %d: SDES CNAME %q for %d, the SDP says %q", c.frame, got, ch.Source, want)
							}
							cnameOK++
						}
					}
				case rtcp.KindTransportCC:
					twccPkts = append(twccPkts, p.Raw)
					same := rebuildTWCC(t, &d.TransportCC, p.Raw)
					if c.fromBrowser {
						twccBrowser++
						if same {
							twccRebuilt++
						}
					} else {
						twccServer++
						if same {
							twccServerRebuilt++
						}
					}
				}
			}
			if it.Err() != nil {
				t.Errorf("frame %d: %v", c.frame, it.Err())
			}
			if !bytes.Equal(out, c.b) {
				t.Errorf("frame %d: compound does not round-trip", c.frame)
			}
		}
		if s.HasTruth && !maps.Equal(counts, s.Truth.RTCPTypes) {
			t.Errorf("RTCP types %v, truth.json %v", counts, s.Truth.RTCPTypes)
		}
		if cnameOK+blocks+nacks+len(twccPkts) == 0 {
			t.Errorf("semantic checks ran on nothing: %d CNAMEs, %d report blocks, %d NACKs, %d TWCC", cnameOK, blocks, nacks, len(twccPkts))
		}
		fullDir := (twccBrowser > 0 && twccRebuilt == twccBrowser) || (twccServer > 0 && twccServerRebuilt == twccServer)
		if len(twccPkts) > 0 && !fullDir {
			t.Errorf("TWCC rebuilt byte for byte: browser %d/%d, server %d/%d; want all of one direction's", twccRebuilt, twccBrowser, twccServerRebuilt, twccServer)
		}
		if len(twccPkts) > 0 {
			t.Run("TWCC against tshark", func(t *testing.T) { rtcp.TsharkCheckTWCC(t, twccPkts) })
		} else {
			t.Log("no transport-cc feedback in the session: TWCC checks skipped")
		}
		t.Logf("%d SRTCP packets; %d full compounds (RFC 3550 A.2), the rest reduced-size; types %v; %d CNAMEs match the SDPs; %d RR blocks and %d NACKs name known streams; browser's TWCC rebuilt byte for byte %d/%d; the server's %d/%d",
			len(clear), strict, counts, cnameOK, blocks, nacks, twccRebuilt, twccBrowser, twccServerRebuilt, twccServer)
	}
}

// rebuildTWCC feeds the packets p reports, with the arrival times it
// encodes, into a TWCCBuilder and reports whether the result is raw.
func rebuildTWCC(t *testing.T, p *rtcp.TransportCC, raw []byte) bool {
	var b rtcp.TWCCBuilder
	b.Reset(p.SenderSSRC, p.MediaSSRC, p.BaseSeq, p.FeedbackCount)
	at := p.Reference()
	it := p.Packets()
	for pk, ok := it.Next(); ok; pk, ok = it.Next() {
		if pk.Status == rtcp.TWCCNotReceived {
			continue
		}
		at += time.Duration(pk.Delta) * rtcp.TWCCDeltaTick
		if err := b.Add(pk.Seq, at); err != nil {
			t.Logf("rebuild: %v", err)
			return false
		}
	}
	var q rtcp.TransportCC
	if err := b.Build(&q); err != nil {
		return false
	}
	out, err := q.Marshal()
	return err == nil && bytes.Equal(out, raw)
}
