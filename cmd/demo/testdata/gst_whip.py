#!/usr/bin/python3
"""WHIP publisher and WHEP player built on GStreamer's webrtcbin.

An independent WebRTC stack (GStreamer, libnice, libsrtp, usrsctp) talking to
the plainrtc demo, driven by cmd/demo/gstreamer_test.go. Run it with Debian's
/usr/bin/python3 (python3-gi, python3-gst-1.0, gir1.2-gst-plugins-bad-1.0).

    gst_whip.py check
    gst_whip.py publish --url http://127.0.0.1:PORT --room ROOM
    gst_whip.py play    --url http://127.0.0.1:PORT --room ROOM --seconds 5

Every line on stdout is one JSON object with an "event" field; the last one
is {"event": "result", ...}. Diagnostics go to stderr.

publish: offers Opus (audiotestsrc ! opusenc ! rtpopuspay) and VP8
(videotestsrc ! vp8enc ! rtpvp8pay), sendonly, and a data channel; POSTs
the offer (application/sdp) to /whip/ROOM; applies the 201 answer; once the
channel opens sends a 64 KiB binary message, then one of exactly the size
the session allows (RFC 8841 §6.1: the smaller of the answer's and the
offer's a=max-message-size, 65536 for a side without one), and checks each
echo byte for byte. webrtcbin 1.22 writes no a=max-message-size, so it
sends at most 64 KiB unless --offer-max-message-size adds one to its offer.
It keeps publishing until stdin reaches EOF (or --timeout), then DELETEs
the resource and prints the result.

play: offers recvonly Opus and VP8 to /whep/ROOM, applies the answer, and
counts for --seconds after connecting the RTP buffers each depayloader
produced and the frames/buffers each decoder produced.

Both gather host candidates on --local-ip only (127.0.0.1 by default):
without it libnice would gather every interface of the machine, and the
tests may use loopback only.
"""

import argparse
import hashlib
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

# Elements each mode needs, with the Debian package that ships them.
ELEMENTS = {
    "webrtcbin": "gstreamer1.0-plugins-bad",
    "nicesrc": "gstreamer1.0-nice",
    "dtlssrtpenc": "gstreamer1.0-plugins-bad",
    "srtpenc": "gstreamer1.0-plugins-bad",
    "sctpenc": "gstreamer1.0-plugins-bad",
    "audiotestsrc": "gstreamer1.0-plugins-base",
    "opusenc": "gstreamer1.0-plugins-base",
    "opusdec": "gstreamer1.0-plugins-base",
    "videotestsrc": "gstreamer1.0-plugins-base",
    "vp8enc": "gstreamer1.0-plugins-good",
    "vp8dec": "gstreamer1.0-plugins-good",
    "rtpopuspay": "gstreamer1.0-plugins-good",
    "rtpopusdepay": "gstreamer1.0-plugins-good",
    "rtpvp8pay": "gstreamer1.0-plugins-good",
    "rtpvp8depay": "gstreamer1.0-plugins-good",
    "audioconvert": "gstreamer1.0-plugins-base",
    "audioresample": "gstreamer1.0-plugins-base",
    "videoconvert": "gstreamer1.0-plugins-base",
    "queue": "libgstreamer1.0-0",
    "fakesink": "libgstreamer1.0-0",
}

# RFC 8841 §6.1: with no a=max-message-size the peer may assume 64 KiB.
DEFAULT_MAX_MESSAGE_SIZE = 65536


def log(*args):
    print("gst_whip:", *args, file=sys.stderr, flush=True)


def emit(event, **fields):
    fields = dict(event=event, **fields)
    print(json.dumps(fields, sort_keys=True), flush=True)


def check():
    """Exit 0 when every element is installed, else name what is missing."""
    missing = sorted({pkg for el, pkg in ELEMENTS.items() if Gst.ElementFactory.find(el) is None})
    emit("check", gstreamer=Gst.version_string(), missing_packages=missing)
    return 0 if not missing else 1


# No proxy from the environment: the server is on a local address.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method, url, body=None, content_type=None, timeout=10):
    req = urllib.request.Request(url, data=body, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Peer:
    """One webrtcbin, its signaling over WHIP or WHEP, and what it saw."""

    def __init__(self, args, kind):
        self.args = args
        self.kind = kind  # "whip" or "whep"
        self.loop = GLib.MainLoop()
        self.result = {
            "mode": args.mode,
            "gstreamer": Gst.version_string(),
            "ok": False,
            "ice_state": "new",
            "connection_state": "new",
            "dtls_state": "new",
            "errors": [],
        }
        self.lock = threading.Lock()
        self.location = None
        self.pipe = None
        self.webrtc = None
        self.connected_at = None

    # --- plumbing -------------------------------------------------------

    def fail(self, msg):
        log("error:", msg)
        self.result["errors"].append(msg)
        self.stop()

    def stop(self):
        GLib.idle_add(self.loop.quit)

    def on_bus(self, bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            self.fail("%s: %s (%s)" % (msg.src.get_name(), err.message, dbg))
        elif msg.type == Gst.MessageType.WARNING:
            err, dbg = msg.parse_warning()
            log("warning:", msg.src.get_name(), err.message)
        return True

    def restrict_candidates(self):
        # webrtcbin's ICE agent (libnice) gathers host candidates on every
        # interface unless given addresses; give it only --local-ip.
        # Keep the Python wrapper alive as long as webrtcbin: webrtcbin
        # holds its agent by a floating reference, which the wrapper sinks,
        # so dropping the wrapper would free the agent under webrtcbin.
        self.ice = self.webrtc.get_property("ice-agent")
        self.ice.emit("add-local-ip-address", self.args.local_ip)

    def watch_states(self):
        self.webrtc.connect("notify::ice-connection-state", self.on_state)
        self.webrtc.connect("notify::connection-state", self.on_state)

    def on_state(self, *_):
        ice = self.webrtc.get_property("ice-connection-state")
        conn = self.webrtc.get_property("connection-state")
        self.result["ice_state"] = ice.value_nick
        self.result["connection_state"] = conn.value_nick
        dtls = self.dtls_transport()
        if dtls is not None:
            self.result["dtls_state"] = dtls.get_property("state").value_nick
        log("ice", ice.value_nick, "connection", conn.value_nick, "dtls", self.result["dtls_state"])
        if conn == GstWebRTC.WebRTCPeerConnectionState.CONNECTED and self.connected_at is None:
            self.connected_at = time.monotonic()
            GLib.idle_add(self.on_connected)
        elif conn == GstWebRTC.WebRTCPeerConnectionState.FAILED:
            GLib.idle_add(self.fail, "connection state failed")

    def dtls_transport(self):
        # With max-bundle every transceiver shares one DTLS transport.
        t = self.webrtc.emit("get-transceiver", 0)
        if t is None:
            return None
        sender = t.get_property("sender")
        if sender is None:
            return None
        return sender.get_property("transport")

    # --- offer/answer (non-trickle: the offer carries every candidate) ---

    def negotiate(self):
        p = Gst.Promise.new_with_change_func(self.on_offer_created, None)
        self.webrtc.emit("create-offer", None, p)

    def on_offer_created(self, promise, _):
        reply = promise.get_reply()
        offer = reply.get_value("offer")
        if self.args.offer_max_message_size:
            offer = self.with_max_message_size(offer, self.args.offer_max_message_size)
        self.webrtc.emit("set-local-description", offer, Gst.Promise.new())
        # Wait for gathering to complete: WHIP/WHEP POST a full offer.
        self.webrtc.connect("notify::ice-gathering-state", self.on_gathering)
        self.on_gathering()

    @staticmethod
    def with_max_message_size(offer, size):
        """The offer with a=max-message-size:size in its data channel section.

        webrtcbin 1.22 writes no a=max-message-size, and sends at most the
        smaller of its local description's value and the remote one's, each
        65536 when absent (RFC 8841 §6.1): without this it never sends more
        than 64 KiB, whatever the answer advertises. With it, both sides may
        send up to min(size, the answer's value).
        """
        text = offer.sdp.as_text()
        text = re.sub(r"^(a=sctp-port:\d+\r?\n)", r"\g<1>a=max-message-size:%d\r\n" % size, text, flags=re.M)
        ok, msg = GstSdp.SDPMessage.new_from_text(text)
        if ok != GstSdp.SDPResult.OK:
            raise RuntimeError("munged offer does not parse: %s" % ok)
        return GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.OFFER, msg)

    def on_gathering(self, *_):
        if self.webrtc.get_property("ice-gathering-state") != GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            return
        with self.lock:
            if self.location is not None or self.result.get("posted"):
                return
            self.result["posted"] = True
        GLib.idle_add(self.post_offer)

    def post_offer(self):
        offer = self.webrtc.get_property("local-description").sdp.as_text()
        self.result["offer_rtpmaps"] = re.findall(r"a=rtpmap:\S+ (\S+)", offer)
        m = re.search(r"^a=max-message-size:(\d+)", offer, re.M)
        self.result["offer_max_message_size"] = int(m.group(1)) if m else None
        url = "%s/%s/%s" % (self.args.url.rstrip("/"), self.kind, urllib.parse.quote(self.args.room))
        log("POST", url, "offer:\n" + offer)
        try:
            status, headers, body = http("POST", url, offer.encode(), "application/sdp")
        except OSError as e:
            self.fail("POST %s: %s" % (url, e))
            return False
        answer = body.decode(errors="replace")
        self.result["http_status"] = status
        if status != 201:
            self.fail("POST %s: %d %s" % (url, status, answer.strip()))
            return False
        loc = headers.get("Location") or headers.get("location")
        if loc:
            self.location = urllib.parse.urljoin(url, loc)
        log("answer:\n" + answer)
        self.result["answer_setup"] = re.findall(r"a=setup:(\S+)", answer)[:1]
        self.result["answer_rtpmaps"] = re.findall(r"a=rtpmap:\S+ (\S+)", answer)
        m = re.search(r"^a=max-message-size:(\d+)", answer, re.M)
        self.result["answer_max_message_size"] = int(m.group(1)) if m else None
        self.on_answer_sdp(answer)
        ok, msg = GstSdp.SDPMessage.new_from_text(answer)
        if ok != GstSdp.SDPResult.OK:
            self.fail("answer does not parse (%s)" % ok)
            return False
        desc = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, msg)
        p = Gst.Promise.new_with_change_func(self.on_answer_set, None)
        self.webrtc.emit("set-remote-description", desc, p)
        return False

    def on_answer_set(self, promise, _):
        reply = promise.get_reply()
        if reply is not None and reply.has_field("error"):
            GLib.idle_add(self.fail, "set-remote-description: %s" % reply.get_value("error"))

    def on_answer_sdp(self, answer):
        pass

    def delete(self):
        if self.location is None:
            return
        try:
            status, _, body = http("DELETE", self.location, timeout=5)
            self.result["delete_status"] = status
        except OSError as e:
            self.result["errors"].append("DELETE %s: %s" % (self.location, e))

    def run(self):
        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_bus)
        GLib.timeout_add(int(self.args.timeout * 1000), self.on_timeout)
        if self.pipe.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            self.fail("pipeline refused PLAYING")
            return
        self.start()
        self.loop.run()
        self.finish()
        self.delete()
        self.pipe.set_state(Gst.State.NULL)

    def on_timeout(self):
        self.fail("timed out after %ss" % self.args.timeout)
        return False


class Publisher(Peer):
    def __init__(self, args):
        super().__init__(args, "whip")
        self.pipe = Gst.parse_launch(
            "webrtcbin name=w bundle-policy=max-bundle "
            "audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample ! "
            "opusenc ! rtpopuspay pt=96 ! w. "
            "videotestsrc is-live=true pattern=ball ! "
            "video/x-raw,width=320,height=240,framerate=30/1 ! videoconvert ! "
            "vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=97 ! w."
        )
        self.webrtc = self.pipe.get_by_name("w")
        self.restrict_candidates()
        self.watch_states()
        self.webrtc.connect("on-negotiation-needed", lambda w: GLib.idle_add(self.negotiate_once))
        self.negotiated = False
        self.channel = None
        self.sent = None
        self.result.update(channel_open=False, message_size=None, bytes_sent=0, echo_bytes=0, echo_ok=False,
                           messages=[])
        self.echo_done = False
        self.stdin_closed = False

    def start(self):
        # WHIP publishes: every transceiver sends only (RFC 9725 §4.2).
        i = 0
        while True:
            t = self.webrtc.emit("get-transceiver", i)
            if t is None:
                break
            t.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
            i += 1
        self.channel = self.webrtc.emit("create-data-channel", "echo", None)
        if self.channel is None:
            self.fail("create-data-channel returned nothing")
            return
        self.channel.connect("on-open", lambda ch: GLib.idle_add(self.on_channel_open))
        self.channel.connect("on-message-data", self.on_message_data)
        self.channel.connect("on-message-string", self.on_message_string)
        self.channel.connect("on-error", lambda ch, err: GLib.idle_add(self.fail, "data channel error: %s" % err))
        self.channel.connect("on-close", lambda ch: log("data channel closed"))
        GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, self.on_stdin)
        # The offer is made on on-negotiation-needed: webrtcbin raises it
        # once every sink pad has caps, so both m= sections get their codecs.

    def negotiate_once(self):
        if not self.negotiated:
            self.negotiated = True
            self.negotiate()
        return False

    def on_connected(self):
        emit("connected", role="publish", ice_state=self.result["ice_state"], dtls_state=self.result["dtls_state"])
        GLib.timeout_add(int(self.args.echo_timeout * 1000), self.on_echo_timeout)
        return False

    def on_channel_open(self):
        self.result["channel_open"] = True
        # RFC 8841 §6.1: each side sends at most what the other advertised
        # (64 KiB when it advertised nothing); an echo goes both ways.
        size = min(self.result["answer_max_message_size"] or DEFAULT_MAX_MESSAGE_SIZE,
                   self.result["offer_max_message_size"] or DEFAULT_MAX_MESSAGE_SIZE)
        if self.args.message_size:
            size = self.args.message_size  # by hand, to find where a size breaks
        self.result["message_size"] = size
        # What webrtcbin itself will send: it refuses (and closes the
        # channel) above its SCTP transport's max-message-size.
        sctp = self.webrtc.get_property("sctp-transport")
        self.result["webrtcbin_max_message_size"] = sctp.get_property("max-message-size") if sctp else None
        # First the 64 KiB every peer takes, then the full size: when the
        # second fails the first shows the channel itself works.
        self.sizes = [DEFAULT_MAX_MESSAGE_SIZE, size] if size > DEFAULT_MAX_MESSAGE_SIZE else [size]
        self.send_next()
        return False

    @staticmethod
    def payload(size, seed):
        # Bytes of a hash chain: any reordered, truncated or altered chunk
        # shows, and no two messages are alike.
        chunks, h = [], hashlib.sha256(b"plainrtc gstreamer echo %d" % seed).digest()
        while 32 * len(chunks) < size:
            h = hashlib.sha256(h).digest()
            chunks.append(h)
        return b"".join(chunks)[:size]

    def send_next(self):
        size = self.sizes[len(self.result["messages"])]
        self.sent = self.payload(size, len(self.result["messages"]))
        self.back = []
        self.result["messages"].append({"size": size, "echo_bytes": 0, "fragments": 0, "ok": False,
                                        "sent_sha256": hashlib.sha256(self.sent).hexdigest()})
        log("sending", size, "bytes")
        try:
            self.channel.send_data_full(GLib.Bytes.new(self.sent))
        except GLib.Error as e:
            self.fail("webrtcbin refused to send %d bytes: %s (its SCTP transport's max-message-size: %s)"
                      % (size, e.message, self.result["webrtcbin_max_message_size"]))
            return
        self.result["bytes_sent"] += size
        emit("sent", bytes=size)

    def on_echo_timeout(self):
        # Recorded, but media goes on until stdin closes: a player may
        # still be counting.
        if not self.echo_done:
            what = "the %d-byte message" % len(self.sent) if self.sent else "anything (the data channel never opened)"
            got = sum(map(len, self.back)) if self.sent else 0
            self.result["errors"].append("no echo of %s within %ss of connecting (%d bytes back)"
                                         % (what, self.args.echo_timeout, got))
            self.echo_done = True
            emit("echo", bytes=got, ok=False)
        return False

    def on_message_data(self, ch, data):
        got = data.get_data() if data is not None else b""
        GLib.idle_add(self.on_echo, bytes(got))

    def on_message_string(self, ch, s):
        GLib.idle_add(self.fail, "echo came back as a string of %d characters" % len(s or ""))

    def on_echo(self, got):
        # webrtcbin hands a message larger than usrsctp's partial delivery
        # point (about 64 KiB) to the application in pieces: its
        # sctpassociation.c receive_cb ignores MSG_EOR. The pieces are
        # joined here until the message's length is reached.
        if self.echo_done or not self.sent:
            self.result["errors"].append("unexpected %d bytes on the data channel" % len(got))
            return False
        self.back.append(got)
        n = sum(map(len, self.back))
        if n < len(self.sent):
            return False
        back = b"".join(self.back)
        m = self.result["messages"][-1]
        m.update(echo_bytes=n, fragments=len(self.back), ok=back == self.sent,
                 echo_sha256=hashlib.sha256(back).hexdigest())
        emit("echo-message", bytes=n, ok=m["ok"], fragments=len(self.back))
        if not m["ok"]:
            first = next((i for i, (a, b) in enumerate(zip(back, self.sent)) if a != b), min(n, len(self.sent)))
            self.result["errors"].append("echo of the %d-byte message differs from it at byte %d (%d bytes back)"
                                         % (len(self.sent), first, n))
        if m["ok"] and len(self.result["messages"]) < len(self.sizes):
            self.send_next()
            return False
        self.echo_done = True
        self.result["echo_bytes"] = n
        self.result["echo_ok"] = all(x["ok"] for x in self.result["messages"]) and len(self.result["messages"]) == len(self.sizes)
        emit("echo", bytes=n, ok=self.result["echo_ok"])
        self.maybe_stop()
        return False

    def on_stdin(self, fd, cond):
        data = os.read(fd, 4096)
        if data:
            return True
        self.stdin_closed = True
        log("stdin closed")
        self.maybe_stop()
        return False

    def maybe_stop(self):
        if self.stdin_closed:
            self.stop()

    def finish(self):
        self.on_state()
        r = self.result
        r["ok"] = (r["connection_state"] == "connected" and r["dtls_state"] == "connected"
                   and r["echo_ok"] and not r["errors"])


class Player(Peer):
    def __init__(self, args):
        super().__init__(args, "whep")
        self.pipe = Gst.Pipeline.new("play")
        self.webrtc = Gst.ElementFactory.make("webrtcbin", "w")
        self.webrtc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        self.pipe.add(self.webrtc)
        self.restrict_candidates()
        self.watch_states()
        self.webrtc.connect("pad-added", self.on_pad_added)
        # Buffers out of each depayloader (video: whole frames, keyframes
        # being those without DELTA_UNIT) and out of each decoder.
        self.counts = {"audio_depayloaded": 0, "audio_decoded": 0,
                       "video_depayloaded": 0, "video_keyframes": 0, "video_decoded": 0}
        self.result.update(self.counts)
        self.result["video_size"] = None

    def start(self):
        # The caps a GStreamer application typically gives a receiving
        # transceiver: codec and clock rate, nothing else.
        for caps in ("application/x-rtp,media=audio,encoding-name=OPUS,payload=96,clock-rate=48000",
                     "application/x-rtp,media=video,encoding-name=VP8,payload=97,clock-rate=90000"):
            self.webrtc.emit("add-transceiver", GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY,
                             Gst.Caps.from_string(caps))
        self.negotiate()

    def on_connected(self):
        emit("connected", role="play", ice_state=self.result["ice_state"], dtls_state=self.result["dtls_state"])
        GLib.timeout_add(int(self.args.seconds * 1000), self.stop_after_counting)
        return False

    def stop_after_counting(self):
        self.stop()
        return False

    def count(self, key):
        def probe(pad, info):
            buf = info.get_buffer()
            with self.lock:
                self.counts[key] += 1
                if key == "video_depayloaded" and not buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
                    self.counts["video_keyframes"] += 1
                if key == "video_decoded" and self.result["video_size"] is None:
                    s = pad.get_current_caps().get_structure(0)
                    self.result["video_size"] = "%dx%d" % (s.get_value("width"), s.get_value("height"))
            return Gst.PadProbeReturn.OK
        return probe

    def on_pad_added(self, webrtc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps() or pad.query_caps(None)
        s = caps.get_structure(0)
        enc = (s.get_string("encoding-name") or "").upper()
        log("incoming stream", caps.to_string())
        if enc == "VP8":
            chain = ["rtpvp8depay", "vp8dec", "fakesink"]
            keys = ("video_depayloaded", "video_decoded")
        elif enc == "OPUS":
            chain = ["rtpopusdepay", "opusdec", "fakesink"]
            keys = ("audio_depayloaded", "audio_decoded")
        else:
            GLib.idle_add(self.fail, "unexpected incoming stream " + caps.to_string())
            return
        q = Gst.ElementFactory.make("queue")
        els = [q] + [Gst.ElementFactory.make(n) for n in chain]
        els[-1].set_property("sync", False)
        for e in els:
            self.pipe.add(e)
        for a, b in zip(els, els[1:]):
            a.link(b)
        els[1].get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self.count(keys[0]))
        els[2].get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self.count(keys[1]))
        for e in els:
            e.sync_state_with_parent()
        pad.link(q.get_static_pad("sink"))

    def finish(self):
        self.on_state()
        with self.lock:
            self.result.update(self.counts)
        r = self.result
        r["ok"] = r["connection_state"] == "connected" and r["dtls_state"] == "connected" and not r["errors"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["check", "publish", "play"])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--room", default="gst")
    ap.add_argument("--local-ip", default="127.0.0.1", help="the only address libnice gathers candidates on")
    ap.add_argument("--seconds", type=float, default=5, help="play: how long to count after connecting")
    ap.add_argument("--offer-max-message-size", type=int, default=0,
                    help="publish: advertise this a=max-message-size in the offer (webrtcbin advertises none)")
    ap.add_argument("--message-size", type=int, default=0,
                    help="publish: send this many bytes instead of the advertised a=max-message-size")
    ap.add_argument("--echo-timeout", type=float, default=10, help="publish: how long after connecting to wait for the echo")
    ap.add_argument("--timeout", type=float, default=40, help="give up after this many seconds")
    args = ap.parse_args()
    Gst.init(None)
    if args.mode == "check":
        return check()
    peer = Publisher(args) if args.mode == "publish" else Player(args)
    peer.run()
    emit("result", **peer.result)
    return 0 if peer.result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
