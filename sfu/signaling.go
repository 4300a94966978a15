package sfu

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Kind of a signaled session.
const (
	KindWHIP = "whip" // publisher: RFC 9725
	KindWHEP = "whep" // subscriber: draft-ietf-wish-whep
	// KindParticipant sends and receives on one connection, renegotiated
	// over its signaling data channel (docs/SIGNALING.md).
	KindParticipant = "participant"
)

// ICEServer is a STUN/TURN server advertised to clients in Link headers
// (RFC 9725 §4.6). The SFU itself is ICE-lite with a host candidate and
// needs none; configure these only when clients sit behind NATs.
type ICEServer struct {
	URL                  string // stun:host:port or turn:host:port?transport=udp
	Username, Credential string // TURN only
}

// sessionHost is what signaling needs from the SFU: answer an offer for a
// room, and end a session. errors of type *badSDP become 400.
type sessionHost interface {
	openSession(kind, room string, o *offer, name string) (id string, answer []byte, err error)
	closeSession(kind, room, id string, reason string) bool
}

// signaling is the WHIP/WHEP http.Handler:
//
//	POST   /whip/{room}       application/sdp offer → 201, Location, ETag, answer
//	DELETE /whip/{room}/{id}  → 200, the session ends
//	POST   /whep/{room}       offer → 201: a session receiving the room's tracks
//	DELETE /whep/{room}/{id}  → 200
//	OPTIONS on either          → 200 with CORS headers, Accept-Post on the
//	                            endpoint (and ICE server Links)
//	PATCH  /…/{id}            → 405: no trickle ICE and no ICE restart (the
//	                            answer carries every candidate of an ICE-lite
//	                            server, RFC 9725 §4.3.1)
type signaling struct {
	host       sessionHost
	iceServers []ICEServer
	log        *slog.Logger
}

const maxOfferSize = 128 << 10

func (sg *signaling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setCORS(w)
	kind, room, id, ok := splitSignalingPath(r.URL.Path)
	if !ok {
		httpError(w, http.StatusNotFound, "no such endpoint: want /whip/{room} or /whep/{room}")
		return
	}
	if r.Method == http.MethodOptions {
		// CORS preflight (Fetch standard) and RFC 9725 §4.6 ICE servers.
		// RFC 9725 §4: the "200 OK" to OPTIONS SHOULD carry Accept-Post
		// application/sdp (W3C LDP §7.1.1) on the endpoint.
		sg.setLinks(w)
		w.Header().Set("Allow", allowed(id))
		if id == "" {
			w.Header().Set("Accept-Post", "application/sdp")
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	if id == "" {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", allowed(id))
			httpError(w, http.StatusMethodNotAllowed, r.Method+" not allowed on the endpoint; POST an SDP offer")
			return
		}
		sg.post(w, r, kind, room)
		return
	}
	switch r.Method {
	case http.MethodDelete:
		if !sg.host.closeSession(kind, room, id, "DELETE by client") {
			httpError(w, http.StatusNotFound, "no such session")
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodPatch:
		w.Header().Set("Allow", allowed(id))
		httpError(w, http.StatusMethodNotAllowed, "trickle ICE and ICE restarts are not supported: the answer holds all candidates of this ICE-lite server (RFC 9725 §4.3.1)")
	default:
		w.Header().Set("Allow", allowed(id))
		httpError(w, http.StatusMethodNotAllowed, r.Method+" not allowed on a session; DELETE ends it")
	}
}

func (sg *signaling) post(w http.ResponseWriter, r *http.Request, kind, room string) {
	// RFC 9725 §4.2: the offer is an SDP body of type application/sdp.
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/sdp" {
		httpError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q, want application/sdp (RFC 9725 §4.2)", r.Header.Get("Content-Type")))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxOfferSize+1))
	if err != nil {
		httpError(w, http.StatusBadRequest, "reading the offer: "+err.Error())
		return
	}
	if len(body) > maxOfferSize {
		httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("offer larger than %d bytes", maxOfferSize))
		return
	}
	o, err := parseOffer(body)
	if err != nil {
		sg.log.Info("offer rejected", "kind", kind, "room", room, "remote", r.RemoteAddr, "err", err)
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	id, answer, err := sg.host.openSession(kind, room, o, r.URL.Query().Get("name"))
	var bad *badSDP
	var badReq *badRequest
	switch {
	case errors.As(err, &bad), errors.As(err, &badReq):
		sg.log.Info("offer rejected", "kind", kind, "room", room, "remote", r.RemoteAddr, "err", err)
		httpError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		// RFC 9110 §15.6.4: 503 for a temporary condition; Retry-After
		// says when to try again.
		sg.log.Warn("session not created", "kind", kind, "room", room, "err", err)
		w.Header().Set("Retry-After", "5")
		httpError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/sdp")
	// RFC 9725 §4.2: Location of the WHIP session resource; relative to
	// the endpoint URL. The ETag identifies the ICE session (§4.3.1).
	h.Set("Location", "/"+kind+"/"+url.PathEscape(room)+"/"+id)
	h.Set("ETag", `"`+id+`"`)
	sg.setLinks(w)
	w.WriteHeader(http.StatusCreated)
	w.Write(answer)
}

// setLinks adds one Link header per configured ICE server (RFC 9725 §4.6,
// RFC 8288).
func (sg *signaling) setLinks(w http.ResponseWriter) {
	for _, s := range sg.iceServers {
		v := "<" + s.URL + `>; rel="ice-server"`
		if s.Username != "" {
			v += `; username="` + quoteEscape(s.Username) + `"; credential="` + quoteEscape(s.Credential) + `"; credential-type="password"`
		}
		w.Header().Add("Link", v)
	}
}

func quoteEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// setCORS lets a page from any origin use the endpoints (Fetch standard,
// CORS protocol), reading the headers WHIP clients need.
func setCORS(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, DELETE, PATCH, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, If-Match")
	h.Set("Access-Control-Expose-Headers", "Location, ETag, Link")
}

func allowed(id string) string {
	if id == "" {
		return "POST, OPTIONS"
	}
	return "DELETE, OPTIONS"
}

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}

// splitSignalingPath splits /whip/{room}[/{id}] (or /whep/…).
func splitSignalingPath(p string) (kind, room, id string, ok bool) {
	rest, found := strings.CutPrefix(p, "/whip/")
	kind = KindWHIP
	if !found {
		if rest, found = strings.CutPrefix(p, "/whep/"); !found {
			return "", "", "", false
		}
		kind = KindWHEP
	}
	parts := strings.Split(rest, "/")
	if len(parts) > 2 || parts[0] == "" || (len(parts) == 2 && parts[1] == "") {
		return "", "", "", false
	}
	room, err := url.PathUnescape(parts[0])
	if err != nil || !validRoom(room) {
		return "", "", "", false
	}
	if len(parts) == 2 {
		id = parts[1]
	}
	return kind, room, id, true
}

// validRoom accepts 1–64 characters of letters, digits, '-', '_' and '.',
// not starting with '.': "." and ".." would make the Location
// "/whip/../{id}", which a client resolves to another resource (RFC 3986
// §5.2.4 dot-segment removal).
func validRoom(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '.' {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
