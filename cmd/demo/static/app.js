// plainrtc demo page: publish with WHIP (RFC 9725), play with WHEP, echo
// through a data channel. Query parameters drive it without clicks (tests):
//   ?room=R&do=publish|play|echo[,…]&report=1
// With report=1 the page POSTs JSON to /report: states, getStats summaries,
// echoed messages, errors.
'use strict';
const params = new URLSearchParams(location.search);
const reporting = params.get('report') === '1';
const logEl = document.getElementById('log');
const sessions = [];

function log(...a) {
  const line = a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' ');
  logEl.textContent += line + '\n';
  console.log(line);
  report('log', {t: Math.round(performance.now()), line});
}
function report(kind, obj) {
  if (!reporting) return Promise.resolve();
  return fetch('/report', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(Object.assign({kind}, obj || {}))}).catch(() => {});
}
window.addEventListener('error', e => report('error', {message: String(e.message)}));
window.addEventListener('unhandledrejection', e => report('error', {message: String(e.reason)}));

// The SFU is ICE-lite and puts its candidates in the answer, so the offer
// is sent once gathering is complete (no trickle, RFC 9725 §4.3.1).
function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise(resolve => {
    const t = setTimeout(resolve, 1500);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') { clearTimeout(t); resolve(); }
    });
  });
}

async function negotiate(pc, endpoint, role) {
  pc.addEventListener('connectionstatechange', () => {
    log(role, 'connection', pc.connectionState);
    report('state', {role, state: pc.connectionState});
  });
  await pc.setLocalDescription(await pc.createOffer());
  log(role, 'offer created, gathering');
  await gathered(pc);
  log(role, 'gathering', pc.iceGatheringState, '- POST', endpoint);
  const resp = await fetch(endpoint, {method: 'POST', headers: {'Content-Type': 'application/sdp'}, body: pc.localDescription.sdp});
  const body = await resp.text();
  if (resp.status !== 201) throw new Error(endpoint + ': ' + resp.status + ' ' + body);
  const location = resp.headers.get('Location');
  log(role, 'session', location);
  const ufrag = (body.match(/a=ice-ufrag:(\S+)/) || [])[1];
  report('session', {role, location, ufrag, offer: pc.localDescription.sdp, answer: body});
  await pc.setRemoteDescription({type: 'answer', sdp: body});
  const s = {pc, location, role};
  sessions.push(s);
  return s;
}

function room() { return encodeURIComponent(document.getElementById('room').value); }

async function publish() {
  log('publish: getUserMedia');
  const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}});
  document.getElementById('local').srcObject = stream;
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
  const s = await negotiate(pc, '/whip/' + room(), 'publish');
  watchStats(s);
}

async function play() {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('audio', {direction: 'recvonly'});
  pc.addTransceiver('video', {direction: 'recvonly'});
  const remote = new MediaStream();
  document.getElementById('remote').srcObject = remote;
  pc.addEventListener('track', e => { remote.addTrack(e.track); document.getElementById('remote').play().catch(() => {}); });
  const s = await negotiate(pc, '/whep/' + room(), 'play');
  watchStats(s);
}

let echoChannel = null;
async function echo() {
  const pc = new RTCPeerConnection();
  const ch = pc.createDataChannel('echo');
  echoChannel = ch;
  ch.addEventListener('open', () => {
    log('echo channel open');
    report('channel', {state: 'open', label: ch.label});
    if (params.has('do')) for (let i = 0; i < 3; i++) ch.send('ping ' + i);
    else ch.send(document.getElementById('msg').value); // the click that opened it
  });
  ch.addEventListener('message', e => {
    log('echo:', String(e.data));
    report('echo', {data: String(e.data)});
  });
  await negotiate(pc, '/whep/' + room(), 'echo');
}

// Summaries of getStats (W3C webrtc-stats): inbound-rtp per kind for a
// player, outbound-rtp for a publisher, and the transport.
async function summary(pc) {
  const out = {};
  const stats = await pc.getStats();
  stats.forEach(r => {
    if (r.type === 'inbound-rtp' || r.type === 'outbound-rtp') {
      const k = r.type + '.' + r.kind;
      out[k] = {packets: r.packetsReceived ?? r.packetsSent, bytes: r.bytesReceived ?? r.bytesSent,
        framesDecoded: r.framesDecoded, framesEncoded: r.framesEncoded, audioLevel: r.audioLevel,
        totalAudioEnergy: r.totalAudioEnergy, keyFramesDecoded: r.keyFramesDecoded,
        packetsLost: r.packetsLost, nackCount: r.nackCount, pliCount: r.pliCount, firCount: r.firCount,
        codecId: r.codecId};
    }
    if (r.type === 'remote-outbound-rtp' || r.type === 'remote-inbound-rtp') {
      // Built from the SFU's sender and receiver reports (RFC 3550 §6.4).
      out[r.type + '.' + r.kind] = {packets: r.packetsSent, reportsSent: r.reportsSent, packetsLost: r.packetsLost,
        roundTripTime: r.roundTripTime, roundTripTimeMeasurements: r.roundTripTimeMeasurements};
    }
    if (r.type === 'transport') out.transport = {dtlsState: r.dtlsState, srtpCipher: r.srtpCipher, dtlsCipher: r.dtlsCipher, dtlsRole: r.dtlsRole};
  });
  stats.forEach(r => {
    if (r.type === 'codec') for (const k in out) if (out[k].codecId === r.id) out[k].codec = r.mimeType;
  });
  return out;
}

function watchStats(s) {
  const tick = async () => {
    if (s.pc.connectionState === 'closed') return;
    try {
      const st = await summary(s.pc);
      report('stats', {role: s.role, state: s.pc.connectionState, stats: st});
    } catch (e) { report('error', {message: String(e)}); }
    s.timer = setTimeout(tick, 500);
  };
  s.timer = setTimeout(tick, 500);
}

async function stop() {
  echoChannel = null; // its connection closes below; Send opens a new one
  for (const s of sessions.splice(0)) {
    clearTimeout(s.timer);
    s.pc.close();
    if (s.location) await fetch(s.location, {method: 'DELETE'}).catch(() => {});
  }
  log('stopped');
}

function guard(fn) { return () => fn().catch(e => { log('error', String(e)); report('error', {message: String(e)}); }); }
document.getElementById('publish').onclick = guard(publish);
document.getElementById('play').onclick = guard(play);
document.getElementById('stop').onclick = guard(stop);
document.getElementById('send').onclick = guard(async () => {
  if (!echoChannel) { await echo(); return; } // sends the message once open
  if (echoChannel.readyState !== 'open') { log('echo channel', echoChannel.readyState, '- wait for it to open'); return; }
  echoChannel.send(document.getElementById('msg').value);
});

if (params.has('room')) document.getElementById('room').value = params.get('room');
if (params.has('do')) {
  (async () => {
    for (const step of params.get('do').split(',')) {
      if (step === 'publish') await guard(publish)();
      else if (step === 'play') await guard(play)();
      else if (step === 'echo') await guard(echo)();
    }
    report('started', {});
  })();
}
