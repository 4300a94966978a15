package rtcp

// Decoder holds one reusable value of each packet type, so that a compound
// can be decoded packet by packet without allocating once the slices inside
// have grown:
//
//	var d rtcp.Decoder
//	it := rtcp.NewIterator(buf)
//	var p rtcp.Packet
//	for it.Next(&p) {
//		m, err := d.Decode(&p)
//		...
//		switch p.Kind() { case rtcp.KindTransportCC: use(&d.TransportCC) ... }
//	}
//
// Decode returns a pointer to the field it filled; it stays valid until the
// next Decode of the same kind.
type Decoder struct {
	SenderReport       SenderReport
	ReceiverReport     ReceiverReport
	SourceDescription  SourceDescription
	Goodbye            Goodbye
	ApplicationDefined ApplicationDefined
	ExtendedReport     ExtendedReport
	NACK               NACK
	CCFeedback         CCFeedback
	TransportCC        TransportCC
	PLI                PLI
	SLI                SLI
	FIR                FIR
	REMB               REMB
	TMMBR              TMMBR
	TMMBN              TMMBN
	Raw                RawPacket
}

// Decode unmarshals p into the Decoder's value for p.Kind() and returns it.
func (d *Decoder) Decode(p *Packet) (Marshaler, error) {
	var m interface {
		Marshaler
		Unmarshal([]byte) error
	}
	switch p.Kind() {
	case KindSenderReport:
		m = &d.SenderReport
	case KindReceiverReport:
		m = &d.ReceiverReport
	case KindSourceDescription:
		m = &d.SourceDescription
	case KindGoodbye:
		m = &d.Goodbye
	case KindApplicationDefined:
		m = &d.ApplicationDefined
	case KindExtendedReport:
		m = &d.ExtendedReport
	case KindNACK:
		m = &d.NACK
	case KindCCFeedback:
		m = &d.CCFeedback
	case KindTransportCC:
		m = &d.TransportCC
	case KindPLI:
		m = &d.PLI
	case KindSLI:
		m = &d.SLI
	case KindFIR:
		m = &d.FIR
	case KindREMB:
		m = &d.REMB
	case KindTMMBR:
		m = &d.TMMBR
	case KindTMMBN:
		m = &d.TMMBN
	default:
		m = &d.Raw
	}
	return m, m.Unmarshal(p.Raw)
}
