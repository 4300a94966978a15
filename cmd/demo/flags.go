package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// options are the demo's settings: each flag can also be given as an
// environment variable, PLAINRTC_ and the flag's name in capitals with '_'
// for '-' (PLAINRTC_HTTP, PLAINRTC_MAX_ROOMS, …); a flag on the command
// line wins.
type options struct {
	http      string
	udp       int
	ip        netip.Addr
	advertise []netip.Addr
	tlsCert   string
	tlsKey    string
	inspector bool

	maxRooms, maxParticipants, maxTracks, maxChat int
}

func envName(flagName string) string {
	return "PLAINRTC_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	fl := flag.NewFlagSet("demo", flag.ContinueOnError)
	fl.SetOutput(stderr)
	str := func(name, def, usage string) *string {
		if v, ok := os.LookupEnv(envName(name)); ok {
			def = v
		}
		return fl.String(name, def, usage+" (env "+envName(name)+")")
	}
	num := func(name string, def int, usage string) *string {
		return str(name, strconv.Itoa(def), usage)
	}
	httpAddr := str("http", "127.0.0.1:8080", "HTTP listen address of the page, the API, WHIP and WHEP")
	udp := num("udp", 50000, "UDP port of the single media socket")
	ip := str("ip", "127.0.0.1", "address to bind the media socket to (0.0.0.0 for every interface)")
	adv := str("advertise", "", "comma-separated addresses put in ICE candidates (public, NAT or container addresses); default: -ip unless it is 0.0.0.0")
	cert := str("tls-cert", "", "TLS certificate file: serve HTTPS (browsers allow camera and microphone off localhost only over HTTPS)")
	key := str("tls-key", "", "TLS private key file, with -tls-cert")
	maxRooms := num("max-rooms", 100, "rooms the server holds at once")
	maxParticipants := num("max-participants", 50, "participants (and WHIP/WHEP sessions) per room")
	maxTracks := num("max-tracks", 4, "tracks one participant may publish")
	maxChat := num("max-chat", 2000, "bytes of one chat message")
	inspectDef := false
	if v, ok := os.LookupEnv(envName("inspector")); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%s %q: want 1, 0, true or false", envName("inspector"), v)
		}
		inspectDef = b
	}
	inspector := fl.Bool("inspector", inspectDef, "give each participant a live protocol inspector and a capture download of its own session (hands out that session's keys to it) (env "+envName("inspector")+")")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	o := &options{http: *httpAddr, tlsCert: *cert, tlsKey: *key, inspector: *inspector}
	var err error
	if o.ip, err = netip.ParseAddr(*ip); err != nil {
		return nil, fmt.Errorf("-ip %q: %w", *ip, err)
	}
	for _, a := range strings.Split(*adv, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		addr, err := netip.ParseAddr(a)
		if err != nil {
			return nil, fmt.Errorf("-advertise %q: %w", a, err)
		}
		o.advertise = append(o.advertise, addr)
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return nil, fmt.Errorf("-tls-cert and -tls-key go together")
	}
	for _, n := range []struct {
		name string
		s    *string
		v    *int
		min  int
		max  int
	}{
		{"udp", udp, &o.udp, 0, 65535},
		{"max-rooms", maxRooms, &o.maxRooms, 1, 1 << 20},
		{"max-participants", maxParticipants, &o.maxParticipants, 1, 1 << 20},
		{"max-tracks", maxTracks, &o.maxTracks, 1, 64},
		{"max-chat", maxChat, &o.maxChat, 1, 1 << 20},
	} {
		v, err := strconv.Atoi(*n.s)
		if err != nil || v < n.min || v > n.max {
			return nil, fmt.Errorf("-%s %s: want a number from %d to %d", n.name, *n.s, n.min, n.max)
		}
		*n.v = v
	}
	return o, nil
}
