package annotate

// Record is one datagram explained. rtcdump writes it as a JSON row (its
// doc.go lists every field); the field names are part of rtcdump's
// output and do not change. Per-class objects are present only for their
// class. Explain lists the same fields with the RFC section of each.
type Record struct {
	N      int    `json:"n"`
	Time   string `json:"time,omitempty"`
	Src    string `json:"src,omitempty"`
	Dst    string `json:"dst,omitempty"`
	Dir    string `json:"dir,omitempty"`
	Len    int    `json:"len"`
	Class  string `json:"class"`
	Reason string `json:"reason,omitempty"` // class "skipped": why the frame is not a UDP datagram
	STUN   *STUN  `json:"stun,omitempty"`
	DTLS   *DTLS  `json:"dtls,omitempty"`
	SRTP   *SRTP  `json:"srtp,omitempty"`
	RTP    *RTP   `json:"rtp,omitempty"`
	RTCP   *RTCP  `json:"rtcp,omitempty"`
	Error  string `json:"error,omitempty"` // what could not be decoded
}

// Field is one decoded field with the RFC section that defines it.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Ref   string `json:"ref,omitempty"`
}
