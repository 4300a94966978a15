// plainrtc room page: served at /r/{room}. One RTCPeerConnection sends the
// camera and microphone and receives everyone else; after the join
// (POST /api/rooms/{room}/join) everything goes over the data channel
// "signal" (protocol plainrtc-signal/1) as docs/SIGNALING.md says: the
// server offers every change, this page only answers.
//
// Query parameters (a contract: tests and tools rely on these names):
//   name=Ann     display name
//   autojoin=1   join at once, without a click
//   video=0      join with the microphone only (the camera can be turned on later)
//   audio=0      join without the microphone; with video=0 too, the page
//                offers only its signaling data channel (cmd/capture's dc-only)
// For tests only:
//   report=1     POST what happens to /report (the test's collector): JSON
//                objects with a "kind" (joined, welcome, offer, roster, chat,
//                event, stats, state, done, left, ended, error), each with
//                the page's name and participant id; and poll
//                GET /report?commands=<name> for commands to run:
//                {"do":"chat","text":…}, {"do":"camera","on":bool},
//                {"do":"mute","kind":"audio"|"video","muted":bool},
//                {"do":"leave"}, {"do":"reload","beacon":bool},
//                {"do":"restart-ice"}.
// window.plainrtc exposes the state and the same actions.
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const reporting = params.get('report') === '1';
  let room = location.pathname.replace(/^\/r\//, '').replace(/\/$/, '');
  try { room = decodeURIComponent(room); } catch (e) { /* keep it as it came */ }
  const api = '/api/rooms/' + encodeURIComponent(room);
  const $ = id => document.getElementById(id);
  const videoConstraints = {width: {ideal: 320}, height: {ideal: 240}, frameRate: {ideal: 15}};

  const S = {
    room, id: '', secret: '', name: '',
    pc: null, dc: null, joined: false,
    stream: null,                        // local preview: every track we send or are about to
    local: {audio: null, video: null},   // {track, transceiver} being sent
    pending: {audio: [], video: []},     // tracks waiting for the section `publish` asked for
    muted: {audio: false, video: false},
    remote: {},                          // mid -> {from, kind}: what each receiving section carries
    streams: new Map(),                  // participant id -> its MediaStream (the msid stream id)
    roster: [], chat: [], events: [], offers: [],
    tiles: new Map(),                    // participant id -> tile
    noBeacon: false,
    chain: Promise.resolve(),            // signaling work, one step at a time
    restarting: false, disconnectTimer: 0,
  };

  // --- reporting to a test's collector -------------------------------
  function report(kind, obj) {
    if (!reporting) return Promise.resolve();
    const body = Object.assign({kind, name: S.name, id: S.id, t: Date.now()}, obj || {});
    return fetch('/report', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body)}).catch(() => {});
  }
  function log(...a) {
    const line = a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' ');
    $('log').textContent += new Date().toISOString().slice(11, 23) + ' ' + line + '\n';
    console.log(line);
  }
  function fail(e) {
    log('error', String(e && e.stack || e));
    report('error', {message: String(e)});
  }
  window.addEventListener('error', e => report('error', {message: String(e.message)}));
  window.addEventListener('unhandledrejection', e => report('error', {message: String(e.reason)}));

  // --- small helpers --------------------------------------------------
  function clientToken() {
    let t = sessionStorage.getItem('plainrtc-token');
    if (!t) {
      const b = new Uint8Array(16);
      crypto.getRandomValues(b);
      t = Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
      sessionStorage.setItem('plainrtc-token', t);
    }
    return t;
  }
  const stopped = tr => tr.currentDirection === 'stopped' || tr.stopped === true;
  // The m= sections of an SDP: kind, port, mid and direction, in order.
  function sections(sdp) {
    const out = [];
    for (const line of sdp.split(/\r?\n/)) {
      if (line.startsWith('m=')) {
        const f = line.slice(2).split(' ');
        out.push({kind: f[0], port: Number(f[1]), mid: '', direction: 'sendrecv'});
      } else if (out.length && line.startsWith('a=mid:')) {
        out[out.length - 1].mid = line.slice(6).trim();
      } else if (out.length && /^a=(sendonly|recvonly|sendrecv|inactive)$/.test(line.trim())) {
        out[out.length - 1].direction = line.trim().slice(2);
      }
    }
    return out;
  }
  function send(msg) {
    if (!S.dc || S.dc.readyState !== 'open') throw new Error('signaling channel not open');
    S.dc.send(JSON.stringify(msg));
  }
  function nameOf(id) {
    const p = S.roster.find(p => p.id === id);
    return p ? p.name : id;
  }

  // --- tiles, roster, chat --------------------------------------------
  function tileFor(id) {
    let t = S.tiles.get(id);
    if (t) return t;
    const fig = document.createElement('figure');
    fig.className = 'tile';
    fig.dataset.id = id;
    const video = document.createElement('video');
    video.autoplay = true; video.playsInline = true; video.muted = true; // sound plays from the audio element
    const audio = document.createElement('audio');
    audio.autoplay = true;
    const cap = document.createElement('figcaption');
    const label = document.createElement('span');
    const flags = document.createElement('span');
    flags.className = 'flags';
    cap.append(label, flags);
    fig.append(video, audio, cap);
    $('tiles').append(fig);
    t = {id, fig, video, audio, label, flags};
    S.tiles.set(id, t);
    return t;
  }
  function play(el, stream) {
    el.srcObject = null;
    el.srcObject = stream;
    el.play().catch(() => {}); // autoplay may wait for a gesture outside tests
  }
  function removeTile(id) {
    const t = S.tiles.get(id);
    if (!t) return;
    t.video.srcObject = null;
    t.audio.srcObject = null;
    t.fig.remove();
    S.tiles.delete(id);
  }
  function setRoster(list) {
    S.roster = list || [];
    const ids = new Set(S.roster.map(p => p.id));
    for (const id of [...S.tiles.keys()]) if (!ids.has(id)) removeTile(id);
    const ul = $('roster');
    ul.textContent = '';
    for (const p of S.roster) {
      const flags = [];
      if (!p.audio && !p.video) flags.push('no media');
      if (p.audio && p.audioMuted) flags.push('mic muted');
      if (p.video && p.videoMuted) flags.push('video hidden');
      if (!p.video && p.audio) flags.push('audio only');
      const li = document.createElement('li');
      li.textContent = p.name + (p.id === S.id ? ' (you)' : '') + (flags.length ? ' — ' + flags.join(', ') : '');
      ul.append(li);
      const known = S.tiles.has(p.id);
      const t = tileFor(p.id);
      const st = S.streams.get(p.id);
      if (!known && st && p.id !== S.id) { play(t.video, st); play(t.audio, st); }
      t.label.textContent = p.name + (p.id === S.id ? ' (you)' : '');
      t.flags.textContent = flags.join(', ');
      if (p.id === S.id && t.video.srcObject !== S.stream) play(t.video, S.stream);
    }
    report('roster', {participants: S.roster});
  }
  function chatLine(cls, time, who, text) {
    const li = document.createElement('li');
    if (cls) li.className = cls;
    const tm = document.createElement('time');
    const d = time ? new Date(time) : new Date();
    tm.dateTime = d.toISOString();
    tm.textContent = d.toTimeString().slice(0, 5);
    li.append(tm);
    if (who) {
      const b = document.createElement('b');
      b.textContent = who + ': ';
      li.append(b);
    }
    li.append(document.createTextNode(text));
    const ol = $('chat');
    ol.append(li);
    ol.scrollTop = ol.scrollHeight;
  }
  function notice(text, msg) {
    chatLine('notice', null, '', text);
    S.events.push(msg);
    report('event', {event: msg});
  }

  // --- the server's messages ------------------------------------------
  async function onSignal(raw) {
    let m;
    try { m = JSON.parse(raw); } catch (e) { log('bad message from the server', raw); return; }
    switch (m.type) {
      case 'welcome':
        S.id = m.id;
        setRoster(m.roster);
        $('chat-text').disabled = $('chat-send').disabled = false;
        log('welcome, I am', m.id);
        report('welcome', {roster: m.roster});
        break;
      case 'offer':
        await answerOffer(m);
        break;
      case 'roster':
        setRoster(m.participants);
        break;
      case 'joined':
        notice(m.name + ' joined', m);
        break;
      case 'left':
        removeTile(m.id);
        S.streams.delete(m.id);
        notice(m.name + ' left' + (m.reason ? ' (' + m.reason + ')' : ''), m);
        break;
      case 'mute':
        notice(nameOf(m.id) + (m.kind === 'audio' ? (m.muted ? ' muted the mic' : ' unmuted the mic')
          : (m.muted ? ' hid the video' : ' showed the video')), m);
        break;
      case 'levels':
        for (const [id, t] of S.tiles) t.fig.classList.toggle('speaking', id === m.speaker);
        break;
      case 'chat':
        S.chat.push(m);
        chatLine('', m.time, m.name, m.text);
        report('chat', {msg: m});
        break;
      case 'error':
        log('server error', m.code, m.message);
        report('error', {message: 'server: ' + m.code + ': ' + m.message});
        break;
      default:
        log('unknown message', m.type);
    }
  }

  // answerOffer applies a server offer: new sections the server sends on
  // get a receiving transceiver (ontrack shows them); a new recvonly
  // section is the one `publish` asked for, and takes the pending track
  // of its kind.
  async function answerOffer(m) {
    const pc = S.pc;
    try {
      await answerOfferOn(pc, m);
    } catch (e) {
      if (S.pc !== pc) return; // the page left meanwhile: nothing to answer
      throw e;
    }
  }

  async function answerOfferOn(pc, m) {
    const known = new Set(pc.getTransceivers().map(tr => tr.mid).filter(mid => mid !== null));
    try {
      await pc.setRemoteDescription({type: 'offer', sdp: m.sdp});
    } catch (e) {
      report('bad-offer', {version: m.version, sdp: m.sdp, message: String(e)});
      throw e;
    }
    const offered = sections(m.sdp);
    for (const tr of pc.getTransceivers()) {
      if (tr.mid === null || known.has(tr.mid) || stopped(tr)) continue;
      const sec = offered.find(s => s.mid === tr.mid);
      if (!sec || sec.port === 0 || sec.direction !== 'recvonly') continue;
      const kind = tr.receiver.track.kind;
      const track = S.pending[kind].shift();
      if (!track) { log('section', tr.mid, 'offered for', kind, 'but nothing to send: answered inactive'); continue; }
      await tr.sender.replaceTrack(track);
      if (tr.sender.setStreams) tr.sender.setStreams(S.stream);
      tr.direction = 'sendonly';
      S.local[kind] = {track, transceiver: tr};
      track.enabled = !S.muted[kind];
      log('sending', kind, 'on section', tr.mid);
    }
    await pc.setLocalDescription(await pc.createAnswer());
    send({type: 'answer', sdp: pc.localDescription.sdp, version: m.version});
    // A live section the browser answered with port 0 is one it could not
    // take (a codec or attribute it refuses): say which, loudly.
    const answered = sections(pc.localDescription.sdp);
    offered.forEach((o, i) => {
      if (o.port !== 0 && answered[i] && answered[i].port === 0) {
        const block = m.sdp.split(/\r?\nm=/)[i + 1] || '';
        const why = block.split(/\r?\n/).filter(l => /^(video|audio|a=rtpmap|a=mid)/.test(l)).join(' | ');
        fail(new Error('the browser rejected section ' + o.mid + ' of offer ' + m.version + ': m=' + why));
      }
    });
    S.offers.push({version: m.version, sdp: m.sdp});
    log('answered offer', m.version, offered.map(s => s.kind + ':' + s.mid + ':' + (s.port ? s.direction : 'stopped')).join(' '));
    report('offer', {version: m.version, sdp: m.sdp, answer: pc.localDescription.sdp});
    renderControls();
  }

  function onTrack(e) {
    const stream = e.streams[0];
    const from = stream ? stream.id : '';
    const mid = e.transceiver.mid;
    S.remote[mid] = {from, kind: e.track.kind};
    log('receiving', e.track.kind, 'from', from, 'on section', mid);
    if (!from) return;
    S.streams.set(from, stream);
    // A stopped section removes its track from the stream: show what is left.
    stream.onremovetrack = () => {
      const tile = S.tiles.get(from);
      if (tile) { play(tile.video, stream); play(tile.audio, stream); }
    };
    // A tile only for someone in the roster: a track of someone who has
    // just left (its section not stopped yet) makes no ghost tile; one of
    // someone the roster does not list yet waits in S.streams.
    const t = S.tiles.get(from);
    if (!t) return;
    if (e.track.kind === 'video') play(t.video, stream);
    else play(t.audio, stream);
  }

  // --- actions --------------------------------------------------------
  async function join() {
    if (S.joined || S.pc) return;
    S.name = $('name').value.trim() || ('Guest ' + Math.floor(Math.random() * 1000));
    $('name').value = S.name;
    const withVideo = $('with-video').checked;
    $('join').disabled = true;
    try {
      const withAudio = params.get('audio') !== '0';
      S.stream = withAudio || withVideo
        ? await navigator.mediaDevices.getUserMedia({audio: withAudio, video: withVideo ? videoConstraints : false})
        : new MediaStream();
      const pc = new RTCPeerConnection();
      S.pc = pc;
      pc.ontrack = onTrack;
      pc.oniceconnectionstatechange = () => watchICE(pc);
      pc.onconnectionstatechange = () => {
        $('state').textContent = pc.connectionState;
        log('connection', pc.connectionState);
        report('state', {state: pc.connectionState});
      };
      for (const track of S.stream.getTracks()) {
        const transceiver = pc.addTransceiver(track, {direction: 'sendonly', streams: [S.stream]});
        S.local[track.kind] = {track, transceiver};
      }
      const dc = pc.createDataChannel('signal', {protocol: 'plainrtc-signal/1'});
      S.dc = dc;
      dc.onmessage = e => serial(() => onSignal(e.data));
      dc.onopen = () => log('signaling channel open');
      dc.onclose = () => {
        log('signaling channel closed');
        if (S.joined) { teardown(); report('ended', {}); notice('Disconnected from the room', {type: 'ended'}); }
      };
      // No waiting for ICE gathering: the server is ICE-lite, lists all its
      // candidates in the answer and learns our address from our checks.
      await pc.setLocalDescription(await pc.createOffer());
      const resp = await fetch(api + '/join', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({name: S.name, token: clientToken(), offer: pc.localDescription.sdp})});
      const body = await resp.json().catch(() => ({}));
      if (resp.status !== 201) throw new Error('join: ' + resp.status + ' ' + (body.error || ''));
      S.id = body.id; S.secret = body.secret; S.joined = true;
      await pc.setRemoteDescription({type: 'answer', sdp: body.answer});
      log('joined', room, 'as', S.name, S.id);
      report('joined', {room, offer: pc.localDescription.sdp, answer: body.answer});
      $('join-form').hidden = true;
      $('controls').hidden = false;
      setRoster([{id: S.id, name: S.name, audio: !!S.local.audio, video: !!S.local.video}]);
      renderControls();
    } catch (e) {
      teardown();
      throw e;
    }
  }

  // serial runs fn after every signaling step queued before it: server
  // offers and ICE restarts never interleave.
  function serial(fn) {
    const p = S.chain.then(fn);
    S.chain = p.catch(fail);
    return p;
  }

  // A network change shows as ICE "disconnected" (for a few seconds) or
  // "failed": restart ICE over HTTP, since the signaling channel rides on
  // the same transport (docs/SIGNALING.md, ICE restart).
  function watchICE(pc) {
    const st = pc.iceConnectionState;
    log('ice', st);
    if (S.pc !== pc) return;
    clearTimeout(S.disconnectTimer);
    if (st === 'failed') serial(restartIce).catch(() => {});
    else if (st === 'disconnected') S.disconnectTimer = setTimeout(() => serial(restartIce).catch(() => {}), 3000);
  }

  // restartIce: the one offer this page makes after the join, with new ICE
  // credentials and the sections as negotiated, PATCHed to the server.
  async function restartIce() {
    const pc = S.pc;
    if (!S.joined || !pc || S.restarting) return;
    S.restarting = true;
    try {
      if (pc.signalingState === 'have-remote-offer') await pc.setRemoteDescription({type: 'rollback'});
      await pc.setLocalDescription(await pc.createOffer({iceRestart: true}));
      const resp = await fetch(api + '/participants/' + encodeURIComponent(S.id), {method: 'PATCH',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({secret: S.secret, offer: pc.localDescription.sdp})});
      const body = await resp.json().catch(() => ({}));
      if (resp.status !== 200) {
        if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({type: 'rollback'});
        throw new Error('ICE restart: ' + resp.status + ' ' + (body.error || ''));
      }
      report('restart-answer', {offer: pc.localDescription.sdp, answer: body.answer});
      await pc.setRemoteDescription({type: 'answer', sdp: body.answer});
      log('ICE restarted');
      report('restarted', {offer: pc.localDescription.sdp, answer: body.answer});
    } finally {
      S.restarting = false;
    }
  }

  function sendChat(text) {
    text = String(text || '').trim();
    if (!text) return;
    send({type: 'chat', text});
  }

  function mute(kind, muted) {
    S.muted[kind] = muted;
    const l = S.local[kind];
    if (l) l.track.enabled = !muted;
    send({type: 'mute', kind, muted});
    renderControls();
  }

  // camera(true) publishes a new camera track (the server offers a section
  // for it); camera(false) unpublishes it and stops the camera.
  async function camera(on) {
    if (on) {
      if (S.local.video || S.pending.video.length) return;
      const s = await navigator.mediaDevices.getUserMedia({video: videoConstraints});
      const track = s.getVideoTracks()[0];
      S.pending.video.push(track);
      S.stream.addTrack(track);
      send({type: 'publish', kind: 'video'});
    } else {
      const l = S.local.video;
      S.local.video = null;
      if (l) {
        send({type: 'unpublish', mid: l.transceiver.mid});
        l.track.stop();
        S.stream.removeTrack(l.track);
        await l.transceiver.sender.replaceTrack(null);
      }
      for (const t of S.pending.video.splice(0)) { t.stop(); S.stream.removeTrack(t); }
    }
    const me = S.tiles.get(S.id);
    if (me) play(me.video, S.stream);
    renderControls();
  }

  async function leave() {
    if (!S.joined) return;
    const url = api + '/participants/' + encodeURIComponent(S.id) + '/leave';
    const secret = S.secret;
    S.joined = false;
    try { send({type: 'leave'}); } catch (e) { /* the HTTP leave below does it */ }
    // Also over HTTP, in case the channel is gone; a 404 means the
    // channel's leave came first.
    await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({secret})}).catch(() => {});
    teardown();
    notice('You left the room', {type: 'self-left'});
    report('left', {});
  }

  function teardown() {
    S.joined = false;
    if (S.stream) for (const t of S.stream.getTracks()) t.stop();
    for (const k of ['audio', 'video']) { for (const t of S.pending[k].splice(0)) t.stop(); S.local[k] = null; }
    clearTimeout(S.disconnectTimer);
    if (S.dc) { S.dc.onclose = null; S.dc.onmessage = null; }
    if (S.pc) S.pc.close();
    S.pc = null; S.dc = null; S.stream = null; S.remote = {}; S.streams.clear();
    for (const id of [...S.tiles.keys()]) removeTile(id);
    $('roster').textContent = '';
    S.roster = [];
    $('join-form').hidden = false;
    $('join').disabled = false;
    $('controls').hidden = true;
    $('chat-text').disabled = $('chat-send').disabled = true;
  }

  function renderControls() {
    $('mute-audio').textContent = S.muted.audio ? 'Unmute mic' : 'Mute mic';
    $('mute-audio').disabled = !S.local.audio;
    $('mute-video').textContent = S.muted.video ? 'Show video' : 'Hide video';
    $('mute-video').disabled = !S.local.video;
    $('camera').textContent = (S.local.video || S.pending.video.length) ? 'Camera off' : 'Camera on';
  }

  // Summaries of getStats per section (W3C webrtc-stats): inbound-rtp of
  // every receiving section with the participant it comes from, and
  // outbound-rtp of every sending one.
  async function stats() {
    const out = {state: S.pc ? S.pc.connectionState : 'closed', tiles: [...S.tiles.keys()], inbound: [], outbound: []};
    if (!S.pc) return out;
    for (const tr of S.pc.getTransceivers()) {
      if (stopped(tr) || tr.mid === null) continue;
      const dir = tr.currentDirection;
      if (dir === 'recvonly' || dir === 'sendrecv') {
        const r = S.remote[tr.mid] || {};
        (await tr.receiver.getStats()).forEach(s => {
          if (s.type !== 'inbound-rtp') return;
          out.inbound.push({mid: tr.mid, kind: s.kind || tr.receiver.track.kind, from: r.from || '',
            packetsReceived: s.packetsReceived || 0, bytesReceived: s.bytesReceived || 0,
            framesDecoded: s.framesDecoded || 0, packetsLost: s.packetsLost || 0});
        });
      }
      if (dir === 'sendonly' || dir === 'sendrecv') {
        (await tr.sender.getStats()).forEach(s => {
          if (s.type !== 'outbound-rtp') return;
          out.outbound.push({mid: tr.mid, kind: s.kind || (tr.sender.track ? tr.sender.track.kind : ''),
            packetsSent: s.packetsSent || 0, framesEncoded: s.framesEncoded || 0});
        });
      }
    }
    return out;
  }

  // --- wiring ---------------------------------------------------------
  const guard = fn => (...a) => Promise.resolve().then(() => fn(...a)).catch(fail);
  $('join-form').onsubmit = e => { e.preventDefault(); guard(join)(); };
  $('chat-form').onsubmit = e => {
    e.preventDefault();
    const text = $('chat-text').value;
    $('chat-text').value = '';
    guard(sendChat)(text);
  };
  $('mute-audio').onclick = guard(() => mute('audio', !S.muted.audio));
  $('mute-video').onclick = guard(() => mute('video', !S.muted.video));
  $('camera').onclick = guard(() => camera(!(S.local.video || S.pending.video.length)));
  $('leave').onclick = guard(leave);
  // Leaving the page leaves the room: the data channel dies with it, so
  // HTTP it is (sendBeacon posts text/plain; the server reads the JSON).
  window.addEventListener('pagehide', () => {
    if (S.joined && S.id && !S.noBeacon) {
      navigator.sendBeacon(api + '/participants/' + encodeURIComponent(S.id) + '/leave', JSON.stringify({secret: S.secret}));
    }
  });

  $('room-name').textContent = room;
  document.title = room + ' · plainrtc';
  $('name').value = params.get('name') || localStorage.getItem('plainrtc.name') || '';
  $('name').addEventListener('input', () => localStorage.setItem('plainrtc.name', $('name').value.trim()));
  if (params.get('video') === '0') $('with-video').checked = false;

  window.plainrtc = {
    get id() { return S.id; }, get name() { return S.name; }, get room() { return room; },
    get roster() { return S.roster; }, get chat() { return S.chat; },
    get events() { return S.events; }, get offers() { return S.offers; },
    get pc() { return S.pc; }, get joined() { return S.joined; },
    stats, join, leave, camera, mute, sendChat, restartIce: () => serial(restartIce),
  };

  // --- test mode: commands from the collector, stats to it -------------
  async function runCommand(c) {
    log('command', c);
    try {
      switch (c.do) {
        case 'chat': sendChat(c.text); break;
        case 'camera': await camera(!!c.on); break;
        case 'mute': mute(c.kind, !!c.muted); break;
        case 'leave': await leave(); break;
        case 'restart-ice': await serial(restartIce); break;
        case 'reload':
          S.noBeacon = c.beacon === false;
          await report('done', {cmd: c});
          location.reload();
          return;
        default: throw new Error('unknown command ' + c.do);
      }
      await report('done', {cmd: c});
    } catch (e) { fail(e); }
  }
  if (reporting) {
    const key = params.get('name') || '';
    (async () => {
      for (;;) {
        try {
          const r = await fetch('/report?commands=' + encodeURIComponent(key));
          if (r.ok && (r.headers.get('Content-Type') || '').includes('json')) {
            for (const c of await r.json()) await runCommand(c);
          }
        } catch (e) { /* the test server went away */ }
        await new Promise(res => setTimeout(res, 250));
      }
    })();
    (async () => {
      for (;;) {
        await new Promise(res => setTimeout(res, 1000));
        if (!S.joined) continue;
        try { report('stats', await stats()); } catch (e) { log('stats', String(e)); }
      }
    })();
  }

  if (params.get('autojoin') === '1') guard(join)();
})();
