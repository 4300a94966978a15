package main

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// scenario is one kind of session cmd/capture records.
type scenario struct {
	name string
	doc  string // what the session shows (meta.json "scenario_doc")
	// query is added to the recorded page's URL (video=0, audio=0).
	query string
	// synthetic: a Go participant publishes Opus and VP8 into the room.
	synthetic bool
	// peer: a second browser of the same kind joins the room.
	peer bool
	// drop is sfu.Config.DropInbound.
	drop float64
	// media: the browser must send and receive SRTP and SRTCP.
	media bool
	run   func(r *rig) error
}

// mediaTime is how long each scenario lets media flow in each phase.
const mediaTime = 5 * time.Second

var scenarios = map[string]scenario{
	"av-dc": {
		doc:   "the browser joins with camera and microphone and its signaling data channel; a synthetic participant publishes Opus and VP8 into the room; chat messages cross the data channel",
		query: "", synthetic: true, media: true,
		run: func(r *rig) error { return r.mediaAndChat(mediaTime) },
	},
	"audio-only": {
		doc:   "the browser joins with the microphone only (video=0); the synthetic participant's Opus and VP8 reach it",
		query: "&video=0", synthetic: true, media: true,
		run: func(r *rig) error { return r.mediaAndChat(mediaTime) },
	},
	"dc-only": {
		doc: "the browser offers only its signaling data channel (audio=0&video=0) and nobody publishes: no media section is ever negotiated and no SRTP flows either way; " +
			"chat messages cross the data channel. (Media both ways would need a second m= section the browser never offered: the other scenarios have it.)",
		query: "&video=0&audio=0",
		run:   func(r *rig) error { return r.mediaAndChat(3 * time.Second) },
	},
	"renegotiate": {
		doc: "the browser joins with the microphone only and receives the synthetic participant's tracks (offer-2), turns the camera on (the room offers a section for it: offer-3) " +
			"and off again (the section is stopped: offer-4)",
		query: "&video=0", synthetic: true, media: true,
		run: func(r *rig) error {
			if err := r.sleep(3 * time.Second); err != nil {
				return err
			}
			if err := r.commandThenOffer(map[string]any{"do": "camera", "on": true}); err != nil {
				return err
			}
			if err := r.sleep(3 * time.Second); err != nil {
				return err
			}
			if err := r.commandThenOffer(map[string]any{"do": "camera", "on": false}); err != nil {
				return err
			}
			return r.sleep(2 * time.Second)
		},
	},
	"ice-restart": {
		doc:   "the browser restarts ICE half-way (room page command restart-ice: an offer with new ICE credentials, PATCHed to the room; its answer has the SFU's new ones)",
		query: "", synthetic: true, media: true,
		run: func(r *rig) error {
			if err := r.sleep(3 * time.Second); err != nil {
				return err
			}
			mark := r.mark()
			r.push("Browser", map[string]any{"do": "restart-ice"})
			if _, err := r.wait("Browser", "restarted", mark, 15*time.Second, nil); err != nil {
				return err
			}
			return r.sleep(3 * time.Second)
		},
	},
	"loss": {
		doc: "the SFU throws away 5 % of the SRTP media it receives from every participant before decrypting it (sfu.Config.DropInbound, a fixed-seed generator): " +
			"it NACKs the browser's video upstream and the browser retransmits; the browser NACKs what the synthetic participant's lost packets leave out",
		query: "", synthetic: true, media: true, drop: 0.05,
		run: func(r *rig) error { return r.mediaAndChat(8 * time.Second) },
	},
	"two-party": {
		doc:   "two browsers of the same kind join one room and receive each other's camera and microphone; the first one's leg is recorded",
		query: "", peer: true, media: true,
		run: func(r *rig) error { return r.mediaAndChat(mediaTime) },
	},
}

// unsupported names the scenarios cmd/capture knows but cannot record.
var unsupported = map[string]string{
	"simulcast": "the SFU does not take simulcast (sfu/doc.go: no simulcast or SVC layer selection); the corpus's chromium-156-simulcast is a seed recorded against pion",
}

func scenarioNames() string {
	var names []string
	for n := range scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func lookupScenario(name string) (scenario, error) {
	if why, ok := unsupported[name]; ok {
		return scenario{}, fmt.Errorf("-scenario %s is not supported: %s", name, why)
	}
	s, ok := scenarios[name]
	if !ok {
		return scenario{}, fmt.Errorf("-scenario %q: want one of %s", name, scenarioNames())
	}
	s.name = name
	return s, nil
}
