package annotate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/rtcp"
)

// RTCPPacket is one packet of a decrypted compound, every field with the
// section that defines it.
type RTCPPacket struct {
	Type   string  `json:"type"` // "SR", "RR", "SDES", "BYE", "APP", "NACK", "PLI", "SLI", "FIR", "REMB", "TWCC", "CCFB", "XR", or "PT<n>/FMT<m>"
	PT     uint8   `json:"pt"`
	Count  uint8   `json:"count"` // RC, SC or FMT
	Ref    string  `json:"ref"`
	Fields []Field `json:"fields"`
}

// rtcpDecoder reuses one value of each packet type.
type rtcpDecoder struct{ dec rtcp.Decoder }

var kindInfo = map[rtcp.Kind][2]string{
	rtcp.KindSenderReport:       {"SR", "RFC 3550 §6.4.1"},
	rtcp.KindReceiverReport:     {"RR", "RFC 3550 §6.4.2"},
	rtcp.KindSourceDescription:  {"SDES", "RFC 3550 §6.5"},
	rtcp.KindGoodbye:            {"BYE", "RFC 3550 §6.6"},
	rtcp.KindApplicationDefined: {"APP", "RFC 3550 §6.7"},
	rtcp.KindExtendedReport:     {"XR", "RFC 3611 §2"},
	rtcp.KindNACK:               {"NACK", "RFC 4585 §6.2.1"},
	rtcp.KindCCFeedback:         {"CCFB", "RFC 8888 §3.1"},
	rtcp.KindTransportCC:        {"TWCC", "draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1"},
	rtcp.KindPLI:                {"PLI", "RFC 4585 §6.3.1"},
	rtcp.KindSLI:                {"SLI", "RFC 4585 §6.3.2"},
	rtcp.KindFIR:                {"FIR", "RFC 5104 §4.3.1"},
	rtcp.KindREMB:               {"REMB", "draft-alvestrand-rmcat-remb-03 §2.2"},
}

func (rd *rtcpDecoder) decodeCompound(b []byte) ([]RTCPPacket, error) {
	var out []RTCPPacket
	it := rtcp.NewIterator(b)
	var p rtcp.Packet
	for it.Next(&p) {
		k := p.Kind()
		info, ok := kindInfo[k]
		if !ok {
			info = [2]string{fmt.Sprintf("PT%d/FMT%d", uint8(p.Type), p.Count), "RFC 3550 §6.1"}
		}
		pk := RTCPPacket{Type: info[0], PT: uint8(p.Type), Count: p.Count, Ref: info[1]}
		if _, err := rd.dec.Decode(&p); err != nil {
			pk.Fields = []Field{{"error", err.Error(), ""}}
			out = append(out, pk)
			continue
		}
		pk.Fields = rd.fields(k)
		out = append(out, pk)
	}
	return out, it.Err()
}

func u32(v uint32) string { return strconv.FormatUint(uint64(v), 10) }

func reportFields(rs []rtcp.ReceptionReport) []Field {
	var f []Field
	for i, r := range rs {
		p := fmt.Sprintf("report[%d].", i)
		f = append(f,
			Field{p + "ssrc", u32(r.SSRC), "RFC 3550 §6.4.1 SSRC_n"},
			Field{p + "fraction_lost", fmt.Sprintf("%d/256", r.FractionLost), "RFC 3550 §6.4.1"},
			Field{p + "cumulative_lost", strconv.Itoa(int(r.TotalLost)), "RFC 3550 §6.4.1"},
			Field{p + "highest_seq", u32(r.ExtendedHighestSeq), "RFC 3550 §6.4.1 extended highest sequence number"},
			Field{p + "jitter", u32(r.Jitter), "RFC 3550 §6.4.1 interarrival jitter"},
			Field{p + "lsr", fmt.Sprintf("0x%08x", r.LastSR), "RFC 3550 §6.4.1 last SR"},
			Field{p + "dlsr", fmt.Sprintf("%d/65536 s", r.DelaySinceLastSR), "RFC 3550 §6.4.1 delay since last SR"},
		)
	}
	return f
}

func (rd *rtcpDecoder) fields(k rtcp.Kind) []Field {
	d := &rd.dec
	switch k {
	case rtcp.KindSenderReport:
		s := &d.SenderReport
		return append([]Field{
			{"ssrc", u32(s.SSRC), "RFC 3550 §6.4.1 SSRC of sender"},
			{"ntp_time", fmt.Sprintf("0x%016x", s.NTPTime), "RFC 3550 §6.4.1 NTP timestamp"},
			{"rtp_time", u32(s.RTPTime), "RFC 3550 §6.4.1 RTP timestamp"},
			{"packet_count", u32(s.PacketCount), "RFC 3550 §6.4.1 sender's packet count"},
			{"octet_count", u32(s.OctetCount), "RFC 3550 §6.4.1 sender's octet count"},
		}, reportFields(s.Reports)...)
	case rtcp.KindReceiverReport:
		r := &d.ReceiverReport
		return append([]Field{{"ssrc", u32(r.SSRC), "RFC 3550 §6.4.2 SSRC of packet sender"}}, reportFields(r.Reports)...)
	case rtcp.KindSourceDescription:
		var f []Field
		for i, c := range d.SourceDescription.Chunks {
			f = append(f, Field{fmt.Sprintf("chunk[%d].source", i), u32(c.Source), "RFC 3550 §6.5 SSRC/CSRC"})
			for _, it := range c.Items {
				f = append(f, Field{fmt.Sprintf("chunk[%d].%s", i, sdesName(uint8(it.Type))), strconv.Quote(string(it.Text)), sdesRef(uint8(it.Type))})
			}
		}
		return f
	case rtcp.KindGoodbye:
		g := &d.Goodbye
		f := []Field{{"ssrcs", joinU32(g.SSRCs), "RFC 3550 §6.6"}}
		if len(g.Reason) > 0 {
			f = append(f, Field{"reason", strconv.Quote(string(g.Reason)), "RFC 3550 §6.6"})
		}
		return f
	case rtcp.KindApplicationDefined:
		a := &d.ApplicationDefined
		return []Field{
			{"subtype", strconv.Itoa(int(a.Subtype)), "RFC 3550 §6.7"},
			{"ssrc", u32(a.SSRC), "RFC 3550 §6.7"},
			{"name", strconv.Quote(string(a.Name[:])), "RFC 3550 §6.7"},
			{"data_len", strconv.Itoa(len(a.Data)), "RFC 3550 §6.7"},
		}
	case rtcp.KindNACK:
		n := &d.NACK
		f := fbFields(n.SenderSSRC, n.MediaSSRC)
		var lost []string
		for _, p := range n.Pairs {
			lost = append(lost, strconv.Itoa(int(p.PID)))
			for i := 0; i < 16; i++ {
				if p.BLP&(1<<i) != 0 {
					lost = append(lost, strconv.Itoa(int(p.PID+uint16(i)+1)))
				}
			}
		}
		return append(f, Field{"lost_seqs", strings.Join(lost, ","), "RFC 4585 §6.2.1 PID and BLP"})
	case rtcp.KindPLI:
		return fbFields(d.PLI.SenderSSRC, d.PLI.MediaSSRC)
	case rtcp.KindSLI:
		f := fbFields(d.SLI.SenderSSRC, d.SLI.MediaSSRC)
		for i, e := range d.SLI.Entries {
			f = append(f, Field{fmt.Sprintf("entry[%d]", i), fmt.Sprintf("%+v", e), "RFC 4585 §6.3.2"})
		}
		return f
	case rtcp.KindFIR:
		f := fbFields(d.FIR.SenderSSRC, d.FIR.MediaSSRC)
		for i, e := range d.FIR.Entries {
			f = append(f, Field{fmt.Sprintf("entry[%d]", i), fmt.Sprintf("ssrc %d seq %d", e.SSRC, e.SeqNr), "RFC 5104 §4.3.1.1"})
		}
		return f
	case rtcp.KindREMB:
		r := &d.REMB
		return append(fbFields(r.SenderSSRC, r.MediaSSRC),
			Field{"bitrate_bps", strconv.FormatUint(uint64(r.Mantissa)<<r.Exp, 10), "draft-alvestrand-rmcat-remb-03 §2.2 BR Exp/Mantissa"},
			Field{"ssrcs", joinU32(r.SSRCs), "draft-alvestrand-rmcat-remb-03 §2.2"})
	case rtcp.KindTransportCC:
		t := &d.TransportCC
		f := append(fbFields(t.SenderSSRC, t.MediaSSRC),
			Field{"base_seq", strconv.Itoa(int(t.BaseSeq)), "draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1"},
			Field{"status_count", strconv.Itoa(int(t.StatusCount)), "§3.1 packet status count"},
			Field{"reference_time", fmt.Sprintf("%d×64ms", t.ReferenceTime), "§3.1 reference time"},
			Field{"fb_pkt_count", strconv.Itoa(int(t.FeedbackCount)), "§3.1 feedback packet count"})
		var recv, lost int
		it := t.Packets()
		for p, ok := it.Next(); ok; p, ok = it.Next() {
			if p.Status == rtcp.TWCCNotReceived {
				lost++
			} else {
				recv++
			}
		}
		return append(f, Field{"packets", fmt.Sprintf("%d received, %d not received", recv, lost), "§3.1.3–§3.1.5 chunks and deltas"})
	case rtcp.KindCCFeedback:
		c := &d.CCFeedback
		f := []Field{{"sender_ssrc", u32(c.SenderSSRC), "RFC 8888 §3.1"}, {"report_timestamp", fmt.Sprintf("0x%08x", c.ReportTimestamp), "RFC 8888 §3.1"}}
		for i, b := range c.Blocks {
			f = append(f, Field{fmt.Sprintf("block[%d]", i), fmt.Sprintf("ssrc %d begin_seq %d metrics %d bytes", b.SSRC, b.BeginSeq, len(b.Metrics)), "RFC 8888 §3.1"})
		}
		return f
	case rtcp.KindExtendedReport:
		x := &d.ExtendedReport
		f := []Field{{"ssrc", u32(x.SenderSSRC), "RFC 3611 §2"}}
		for i, b := range x.Blocks {
			f = append(f, Field{fmt.Sprintf("block[%d]", i), fmt.Sprintf("BT %d, %d bytes", b.Type, len(b.Body)), "RFC 3611 §3"})
		}
		return f
	}
	return []Field{{"length", strconv.Itoa(len(d.Raw.Data)), "RFC 3550 §6.1"}}
}

func fbFields(sender, media uint32) []Field {
	return []Field{
		{"sender_ssrc", u32(sender), "RFC 4585 §6.1 SSRC of packet sender"},
		{"media_ssrc", u32(media), "RFC 4585 §6.1 SSRC of media source"},
	}
}

func joinU32(v []uint32) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = u32(x)
	}
	return strings.Join(s, ",")
}

func sdesName(t uint8) string {
	names := []string{"end", "cname", "name", "email", "phone", "loc", "tool", "note", "priv"}
	if int(t) < len(names) {
		return names[t]
	}
	return "item" + strconv.Itoa(int(t))
}

func sdesRef(t uint8) string {
	if t >= 1 && t <= 8 {
		return fmt.Sprintf("RFC 3550 §6.5.%d", t)
	}
	return "RFC 3550 §6.5"
}
