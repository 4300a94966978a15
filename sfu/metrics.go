package sfu

import (
	"sort"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// metric is one family the collector exports, read from Stats keys.
type metric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	keys  []string // summed
	label string   // for families with a label: the label's name
}

// A family per thing measured; labels only where their values are a small
// fixed set (drop reasons, end classes), never room names or session ids.
var metricFamilies = []metric{
	{desc: prometheus.NewDesc("plainrtc_sessions", "Live WebRTC sessions (WHIP and WHEP).", nil, nil), kind: prometheus.GaugeValue, keys: []string{"sessions"}},
	{desc: prometheus.NewDesc("plainrtc_rooms", "Rooms that exist.", nil, nil), kind: prometheus.GaugeValue, keys: []string{"rooms"}},
	{desc: prometheus.NewDesc("plainrtc_datagrams_received_total", "UDP datagrams read from the media socket.", nil, nil), kind: prometheus.CounterValue, keys: []string{"received"}},
	{desc: prometheus.NewDesc("plainrtc_rtp_packets_received_total", "RTP packets received and authenticated (RFC 3550, RFC 3711).", nil, nil), kind: prometheus.CounterValue, keys: []string{"rtp.in"}},
	{desc: prometheus.NewDesc("plainrtc_rtp_packets_sent_total", "RTP packets protected and sent by the sender workers.", nil, nil), kind: prometheus.CounterValue, keys: []string{"send.rtp"}},
	{desc: prometheus.NewDesc("plainrtc_rtcp_packets_received_total", "Compound RTCP packets received and authenticated.", nil, nil), kind: prometheus.CounterValue, keys: []string{"rtcp.in"}},
	{desc: prometheus.NewDesc("plainrtc_rtcp_packets_sent_total", "Compound RTCP packets sent (reports, feedback).", nil, nil), kind: prometheus.CounterValue, keys: []string{"send.rtcp"}},
	{desc: prometheus.NewDesc("plainrtc_bytes_sent_total", "Bytes of SRTP and SRTCP sent.", nil, nil), kind: prometheus.CounterValue, keys: []string{"send.bytes"}},
	{desc: prometheus.NewDesc("plainrtc_nacks_received_total", "Generic NACK messages received from subscribers (RFC 4585 §6.2.1).", nil, nil), kind: prometheus.CounterValue, keys: []string{"nack.in"}},
	{desc: prometheus.NewDesc("plainrtc_nacks_sent_total", "Generic NACK messages sent to publishers for packets lost on their way to the SFU.", nil, nil), kind: prometheus.CounterValue, keys: []string{"nack.out"}},
	{desc: prometheus.NewDesc("plainrtc_retransmissions_total", "Packets resent in answer to NACKs.", nil, nil), kind: prometheus.CounterValue, keys: []string{"nack.resent"}},
	{desc: prometheus.NewDesc("plainrtc_keyframe_requests_received_total", "PLI and FIR received from subscribers (RFC 4585 §6.3.1, RFC 5104 §4.3.1).", nil, nil), kind: prometheus.CounterValue, keys: []string{"pli.in", "fir.in"}},
	{desc: prometheus.NewDesc("plainrtc_keyframe_requests_sent_total", "PLI sent to publishers.", nil, nil), kind: prometheus.CounterValue, keys: []string{"pli.out"}},
	{desc: prometheus.NewDesc("plainrtc_stun_requests_total", "Authenticated STUN binding requests answered (RFC 8445 §7.3).", nil, nil), kind: prometheus.CounterValue, keys: []string{"ice.requests"}},
	{desc: prometheus.NewDesc("plainrtc_renegotiations_total", "Offers the rooms made to participants after their join (docs/SIGNALING.md).", nil, nil), kind: prometheus.CounterValue, keys: []string{"offers"}},
	{desc: prometheus.NewDesc("plainrtc_signaling_errors_total", "Signaling messages refused with an error, and refused API requests.", nil, nil), kind: prometheus.CounterValue, keys: []string{"signal.errors", "api.errors", "signal.too_large"}},
	{desc: prometheus.NewDesc("plainrtc_source_switches_total", "Times a subscriber's stream switched to another source.", nil, nil), kind: prometheus.CounterValue, keys: []string{"rtp.source_switches"}},
}

// dropKeys maps Stats keys to the reason label of plainrtc_packets_dropped_total.
var dropKeys = map[string]string{
	"srtp.auth":             "srtp_auth",
	"srtp.replay":           "srtp_replay",
	"srtp.before_keys":      "srtp_before_keys",
	"srtp.other":            "srtp_other",
	"send.queue_full":       "send_queue_full",
	"send.no_keys":          "send_no_keys",
	"send.rewrite_failures": "rewrite_failed",
	"srtp.encrypt_failures": "encrypt_failed",
	"write_failures":        "write_failed",
	"rtp.unknown_ssrc":      "rtp_unknown_ssrc",
	"rtp.rtx_dropped":       "rtp_rtx_from_publisher",
	"rtp.bad":               "rtp_malformed",
	"rtcp.bad":              "rtcp_malformed",
	"rtp.not_forwarded":     "rtp_not_forwarded",
	"ice.drop_unauth":       "stun_unauthenticated",
	"ice.drop_malformed":    "stun_malformed",
	"ice.drop_fingerprint":  "stun_fingerprint",
}

var (
	dropDesc  = prometheus.NewDesc("plainrtc_packets_dropped_total", "Packets dropped, by reason (every drop is counted).", []string{"reason"}, nil)
	endedDesc = prometheus.NewDesc("plainrtc_sessions_ended_total", "Sessions ended, by the class of their end reason.", []string{"reason"}, nil)
)

// Collector exports the server's counters in the Prometheus format:
// register it with a prometheus.Registry (cmd/demo serves it on /metrics
// with the Go and process collectors).
func (s *Server) Collector() prometheus.Collector {
	return &collector{s: s, last: map[string]float64{}}
}

type collector struct {
	s *Server

	mu   sync.Mutex
	last map[string]float64 // counters never go back, even when a session ends mid-scrape
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range metricFamilies {
		ch <- m.desc
	}
	ch <- dropDesc
	ch <- endedDesc
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st := c.s.Stats()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range metricFamilies {
		var v float64
		for _, k := range m.keys {
			v += float64(st[k])
		}
		if m.kind == prometheus.CounterValue {
			v = c.monotonic(m.desc.String(), v)
		}
		ch <- prometheus.MustNewConstMetric(m.desc, m.kind, v)
	}
	drops := map[string]float64{}
	for k, v := range st {
		if r, ok := dropKeys[k]; ok {
			drops[r] += float64(v)
		} else if r, ok := strings.CutPrefix(k, "drop."); ok {
			drops[strings.ReplaceAll(r, "-", "_")] += float64(v)
		}
	}
	for _, r := range sortedKeys(drops) {
		ch <- prometheus.MustNewConstMetric(dropDesc, prometheus.CounterValue, c.monotonic("drop/"+r, drops[r]), r)
	}
	ended := c.s.EndedSessions()
	for _, r := range sortedKeys(ended) {
		ch <- prometheus.MustNewConstMetric(endedDesc, prometheus.CounterValue, float64(ended[r]), r)
	}
}

func (c *collector) monotonic(key string, v float64) float64 {
	if v < c.last[key] {
		return c.last[key]
	}
	c.last[key] = v
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
