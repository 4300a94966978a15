// plainrtc room page: served at /r/{room}. One RTCPeerConnection sends the
// camera and microphone and receives everyone else; after the join
// (POST /api/rooms/{room}/join) everything goes over the data channel
// "signal" (protocol plainrtc-signal/1) as docs/SIGNALING.md says: the
// server offers every change, this page only answers.
//
// The page has three phases: before joining (pick devices, see yourself
// and a microphone level meter), in the room (tiles, roster, chat,
// controls) and after leaving (rejoin). Errors show in #banner with a
// class per kind (permission, no-device, insecure, autoplay, room-full,
// bad-room, bad-request, connection, disconnected, error).
//
// Query parameters (a contract: tests and tools rely on these names):
//   name=Ann     display name
//   autojoin=1   join at once, without a click and without the pre-join screen
//   video=0      join with the microphone only (the camera can be turned on later)
//   audio=0      with video=0: join listen-only, with no device at all (the
//                page offers only its signaling data channel: cmd/capture's dc-only)
//   muted=1      join with the microphone muted
// For tests only:
//   report=1     POST what happens to /report (the test's collector): JSON
//                objects with a "kind" (joined, welcome, offer, roster, chat,
//                event, stats, tiles, banner, state, done, left, ended,
//                error), each with the page's name and participant id; and
//                poll GET /report?commands=<name> for commands to run:
//                {"do":"chat","text":…}, {"do":"camera","on":bool},
//                {"do":"mute","kind":"audio"|"video","muted":bool},
//                {"do":"leave"}, {"do":"reload","beacon":bool},
//                {"do":"restart-ice"}.
//                "tiles" is {tiles:[{id,name,self,muted,speaking,
//                activeSpeaker,hasVideo,level}]}; "left" carries
//                {tracks:[{kind,readyState}]}, every local track the page had.
// window.plainrtc exposes the state and the same actions; its inspect is
// the join's inspector token (when the server hands one out).
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const reporting = params.get('report') === '1';
  let room = location.pathname.replace(/^\/r\//, '').replace(/\/$/, '');
  try { room = decodeURIComponent(room); } catch (e) { /* keep it as it came */ }
  const api = '/api/rooms/' + encodeURIComponent(room);
  const $ = id => document.getElementById(id);
  const videoConstraints = {width: {ideal: 640}, height: {ideal: 360}, frameRate: {ideal: 24}};
  const speakingThreshold = 0.15; // the server's own threshold for a speaker (sfu/room_levels.go)
  const isFirefox = /Firefox\//.test(navigator.userAgent);

  const S = {
    room, id: '', secret: '', name: '', inspect: '',
    pc: null, dc: null, joined: false, answer: '',
    stream: null,                        // local stream: every track we send or are about to
    local: {audio: null, video: null},   // {track, transceiver} being sent
    pending: {audio: [], video: []},     // tracks waiting for the section `publish` asked for
    muted: {audio: false, video: false},
    remote: {},                          // mid -> {from, kind}: what each receiving section carries
    streams: new Map(),                  // participant id -> its MediaStream (the msid stream id)
    roster: [], chat: [], events: [], offers: [],
    tiles: new Map(),                    // participant id -> tile
    levels: {}, speaker: '',
    allTracks: [],                       // every local track this page got, for the leave report
    noBeacon: false,
    chain: Promise.resolve(),            // signaling work, one step at a time
    restarting: false, disconnectTimer: 0, connectTimer: 0,
    blockedMedia: new Set(),             // media elements whose play() the browser refused
    // pre-join
    preview: null, meter: null, devices: {mic: '', cam: ''},
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
    if (!$('banner').className || $('banner').hidden) showBanner('error', 'Something went wrong: ' + (e && e.message || e));
    report('error', {message: String(e)});
  }
  window.addEventListener('error', e => report('error', {message: String(e.message)}));
  window.addEventListener('unhandledrejection', e => report('error', {message: String(e.reason)}));

  // --- the banner: one error or hint at a time, in words a person reads --
  // kind becomes the banner's class; actions are [label, fn] buttons.
  function showBanner(kind, text, actions) {
    const b = $('banner');
    b.className = kind;
    b.hidden = false;
    $('banner-text').textContent = text;
    const box = $('banner-actions');
    box.textContent = '';
    for (const [label, fn] of actions || []) {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = label;
      btn.onclick = guard(async () => { btn.disabled = true; try { await fn(); } finally { btn.disabled = false; } });
      box.append(btn);
    }
    log('banner', kind, text);
    report('banner', {banner: kind, text});
  }
  // hideBanner hides the banner, or only when it is of kind (a class or
  // a list of them).
  function hideBanner(kind) {
    const b = $('banner');
    if (!kind || [].concat(kind).includes(b.className)) { b.hidden = true; b.className = ''; }
  }
  const deviceBanners = ['permission', 'no-device', 'device-busy', 'insecure'];
  $('banner-close').onclick = () => hideBanner();

  // mediaError explains a getUserMedia failure (W3C Media Capture §9.2).
  function mediaError(e, what) {
    if (S.joined) {
      // In the room already: say what failed; the room goes on without it.
      const why = {NotAllowedError: 'the browser was not allowed to use it (allow it in the address bar)',
        NotFoundError: 'none was found', NotReadableError: 'it is in use by another program'}[e && e.name] || String(e && e.message || e);
      showBanner(e && e.name === 'NotAllowedError' ? 'permission' : e && e.name === 'NotFoundError' ? 'no-device' : 'device-busy',
        'Could not turn on your ' + what + ': ' + why + '.');
      return;
    }
    switch (e && e.name) {
      case 'NotAllowedError': case 'SecurityError':
        showBanner('permission', 'The browser was not allowed to use your ' + what + '. Allow it in the address bar (the camera icon), or join without it.',
          [['Try again', retryDevices], ['Join listen-only', () => join({listenOnly: true})]]);
        break;
      case 'NotFoundError': case 'OverconstrainedError':
        showBanner('no-device', 'No ' + what + ' was found on this computer. You can still join, listen and chat.',
          [['Join listen-only', () => join({listenOnly: true})]]);
        break;
      case 'NotReadableError': case 'AbortError':
        showBanner('device-busy', 'Your ' + what + ' is in use by another program or could not start. Close it there and try again, or join without it.',
          [['Try again', retryDevices], ['Join listen-only', () => join({listenOnly: true})]]);
        break;
      default:
        showBanner('error', 'Could not start your ' + what + ': ' + (e && e.message || e));
    }
  }
  async function retryDevices() {
    hideBanner();
    if (S.joined) return;
    await startPreview();
  }

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
  // The addresses and ports of the candidates in an SDP (RFC 8839 §5.1).
  function candidates(sdp) {
    const out = [];
    for (const line of (sdp || '').split(/\r?\n/)) {
      const m = /^a=candidate:\S+ \d+ (\S+) \d+ (\S+) (\d+) typ (\S+)/.exec(line);
      if (m) out.push({protocol: m[1].toLowerCase(), address: m[2], port: Number(m[3]), type: m[4]});
    }
    return out;
  }
  const isLoopback = a => /^127\./.test(a) || a === '::1' || a === 'localhost';
  function send(msg) {
    if (!S.dc || S.dc.readyState !== 'open') throw new Error('signaling channel not open');
    S.dc.send(JSON.stringify(msg));
  }
  function nameOf(id) {
    const p = S.roster.find(p => p.id === id);
    return p ? p.name : id;
  }
  function initials(name) {
    const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
    const first = w => Array.from(w)[0] || '';
    return ((words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : Array.from(words[0] || '?').slice(0, 2).join(''))).toUpperCase();
  }
  function hue(s) {
    let h = 0;
    for (const c of String(s)) h = (h * 31 + c.codePointAt(0)) >>> 0;
    return h % 360;
  }
  function paintAvatar(el, name, key) {
    el.textContent = initials(name);
    el.style.setProperty('--hue', hue(key || name));
  }
  function setPhase(phase) {
    document.body.className = 'phase-' + phase;
    $('prejoin').hidden = phase !== 'prejoin';
    $('left-view').hidden = phase !== 'left';
    $('room').hidden = phase !== 'room';
    $('controls').hidden = phase !== 'room';
    if (phase === 'room') requestAnimationFrame(() => layoutTiles());
  }
  function setState(text, cls) {
    const s = $('state');
    s.hidden = !text;
    s.textContent = text;
    s.dataset.state = cls || text;
  }

  // --- the pre-join screen: devices, self-view, level meter ------------
  function rememberName() { localStorage.setItem('plainrtc.name', $('name').value.trim()); }

  // startPreview gets the chosen microphone and camera (none when "No …"
  // is chosen) into S.preview, shows it, and lists the devices (their
  // labels exist only once the page has a permission).
  async function startPreview() {
    stopPreview();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showBanner('insecure', 'This page is not a secure context, so the browser offers no camera or microphone. Open it over https (start the demo with -tls-cert and -tls-key) or via http://127.0.0.1, or join listen-only.',
        [['Join listen-only', () => join({listenOnly: true})]]);
      $('join').disabled = true;
      return;
    }
    const wantAudio = S.devices.mic !== 'none';
    const wantVideo = S.devices.cam !== 'none' && $('with-video').checked;
    const c = {
      audio: wantAudio ? (S.devices.mic ? {deviceId: {exact: S.devices.mic}} : true) : false,
      video: wantVideo ? Object.assign({}, videoConstraints, S.devices.cam ? {deviceId: {exact: S.devices.cam}} : {}) : false,
    };
    let stream = new MediaStream();
    if (c.audio || c.video) {
      try {
        stream = await navigator.mediaDevices.getUserMedia(c);
      } catch (e) {
        // One of two missing: take what there is.
        if (e.name === 'NotFoundError' && c.audio && c.video) {
          for (const only of [{audio: c.audio}, {video: c.video}]) {
            try { stream = await navigator.mediaDevices.getUserMedia(only); break; } catch (e2) { /* try the other */ }
          }
        }
        if (!stream.getTracks().length) {
          mediaError(e, c.video ? 'camera and microphone' : 'microphone');
          await listDevices();
          showPreview();
          return;
        }
        $('prejoin-note').textContent = stream.getAudioTracks().length ? 'No camera found: you will join with the microphone only.' : 'No microphone found: you will join with the camera only.';
      }
    }
    hideBanner(deviceBanners);
    S.preview = stream;
    for (const t of stream.getTracks()) S.allTracks.push(t);
    await listDevices();
    showPreview();
    startMeter(stream);
  }
  function stopPreview() {
    stopMeter();
    if (S.preview) for (const t of S.preview.getTracks()) t.stop();
    S.preview = null;
  }
  function showPreview() {
    const v = $('preview');
    const hasVideo = !!(S.preview && S.preview.getVideoTracks().length);
    const want = hasVideo ? S.preview : null;
    if (v.srcObject !== want) v.srcObject = want;
    v.hidden = !hasVideo;
    $('preview-avatar').hidden = hasVideo;
    paintAvatar($('preview-avatar'), $('name').value.trim() || '?', $('name').value.trim());
  }
  async function listDevices() {
    let devs = [];
    try { devs = await navigator.mediaDevices.enumerateDevices(); } catch (e) { /* none */ }
    const fill = (sel, kind, none, current) => {
      sel.textContent = '';
      let n = 0;
      for (const d of devs.filter(d => d.kind === kind)) {
        const o = new Option(d.label || ('Device ' + (++n) + ' (name shown after permission)'), d.deviceId);
        sel.append(o);
      }
      sel.append(new Option(none, 'none'));
      const inUse = current || '';
      sel.value = [...sel.options].some(o => o.value === inUse) ? inUse : sel.options[0].value;
    };
    const inUse = kind => {
      const t = S.preview && (kind === 'audio' ? S.preview.getAudioTracks()[0] : S.preview.getVideoTracks()[0]);
      return t && t.getSettings ? t.getSettings().deviceId : '';
    };
    fill($('mic-select'), 'audioinput', 'No microphone', S.devices.mic === 'none' ? 'none' : inUse('audio') || S.devices.mic);
    fill($('cam-select'), 'videoinput', 'No camera', S.devices.cam === 'none' ? 'none' : inUse('video') || S.devices.cam);
  }
  // The level meter: an AnalyserNode over the microphone, its RMS drawn
  // as a bar each frame.
  function startMeter(stream) {
    const track = stream.getAudioTracks()[0];
    if (!track || !window.AudioContext) { $('meter-bar').style.width = '0'; return; }
    const ctx = new AudioContext();
    const src = ctx.createMediaStreamSource(new MediaStream([track]));
    const an = ctx.createAnalyser();
    an.fftSize = 1024;
    src.connect(an);
    const buf = new Float32Array(an.fftSize);
    const m = {ctx, raf: 0, level: 0};
    const draw = () => {
      an.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const x of buf) sum += x * x;
      const rms = Math.sqrt(sum / buf.length);
      // dBFS from -60 to 0 onto 0…1, fast up, slow down.
      const v = Math.max(0, Math.min(1, (20 * Math.log10(rms + 1e-9) + 60) / 60));
      m.level = v > m.level ? v : m.level * 0.9 + v * 0.1;
      $('meter-bar').style.width = (m.level * 100).toFixed(1) + '%';
      m.raf = requestAnimationFrame(draw);
    };
    draw();
    // A context made without a gesture may start suspended: any click resumes it.
    if (ctx.state === 'suspended') document.addEventListener('click', () => ctx.resume(), {once: true});
    S.meter = m;
  }
  function stopMeter() {
    if (!S.meter) return;
    cancelAnimationFrame(S.meter.raf);
    S.meter.ctx.close().catch(() => {});
    S.meter = null;
    $('meter-bar').style.width = '0';
  }

  // --- tiles, roster, chat --------------------------------------------
  function tileFor(id) {
    let t = S.tiles.get(id);
    if (t) return t;
    const fig = document.createElement('figure');
    fig.className = 'tile';
    fig.dataset.id = id;
    fig.dataset.speaking = '0';
    const video = document.createElement('video');
    video.autoplay = true; video.playsInline = true; video.muted = true; // sound plays from the audio element
    const audio = document.createElement('audio');
    audio.autoplay = true;
    const avatar = document.createElement('div');
    avatar.className = 'avatar';
    const cap = document.createElement('figcaption');
    const mic = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    mic.setAttribute('class', 'mic-off');
    mic.setAttribute('aria-label', 'microphone muted');
    const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
    use.setAttribute('href', '#i-mic-off');
    mic.append(use);
    const label = document.createElement('span');
    label.className = 'name';
    cap.append(mic, label);
    fig.append(video, audio, avatar, cap);
    $('tiles').append(fig);
    t = {id, fig, video, audio, avatar, label, state: {}};
    S.tiles.set(id, t);
    layoutTiles();
    return t;
  }
  function play(el, stream) {
    el.srcObject = null;
    el.srcObject = stream;
    const p = el.play();
    if (p) p.then(() => { S.blockedMedia.delete(el); if (!S.blockedMedia.size) hideBanner('autoplay'); }, e => {
      // Autoplay policy: the browser plays sound only after a gesture.
      if (e && e.name === 'NotAllowedError' && !el.muted) {
        S.blockedMedia.add(el);
        showBanner('autoplay', 'Your browser blocked the sound of the room until you click.', [['Click to listen', resumeMedia]]);
      }
    });
  }
  async function resumeMedia() {
    for (const el of [...S.blockedMedia]) {
      try { await el.play(); S.blockedMedia.delete(el); } catch (e) { log('play', String(e)); }
    }
    for (const t of S.tiles.values()) { t.audio.play().catch(() => {}); t.video.play().catch(() => {}); }
    if (!S.blockedMedia.size) hideBanner('autoplay');
  }
  function removeTile(id) {
    const t = S.tiles.get(id);
    if (!t) return;
    t.video.srcObject = null;
    t.audio.srcObject = null;
    S.blockedMedia.delete(t.audio);
    t.fig.remove();
    S.tiles.delete(id);
    layoutTiles();
  }
  // layoutTiles fits the tiles (16:9) into the stage: of every column
  // count, the one that makes the tiles largest. A narrow window stacks
  // the chat below, so there the tiles get most of the screen's height.
  function layoutTiles() {
    const box = $('tiles');
    const n = Math.max(1, S.tiles.size);
    const narrow = matchMedia('(max-width: 720px)').matches;
    const gap = 10;
    // From the window, not from the stage's own height, which the tiles
    // themselves may be stretching.
    const stage = $('stage');
    const W = (stage.clientWidth || 812) - 12 - 4; // padding, and slack for rounding
    const H = narrow ? Math.max(200, window.innerHeight * 0.62)
      : Math.max(160, window.innerHeight - stage.getBoundingClientRect().top - ($('controls').offsetHeight || 76) - 30);
    const aspect = narrow && n <= 2 ? 4 / 3 : 16 / 9;
    let best = {cols: 1, w: 0};
    for (let cols = 1; cols <= n; cols++) {
      const rows = Math.ceil(n / cols);
      const w = Math.min((W - gap * (cols - 1)) / cols, ((H - gap * (rows - 1)) / rows) * aspect);
      if (w > best.w) best = {cols, w};
    }
    box.style.setProperty('--cols', best.cols);
    box.style.setProperty('--tile-w', Math.floor(best.w) + 'px');
    box.style.setProperty('--aspect', aspect === 16 / 9 ? '16 / 9' : '4 / 3');
    box.dataset.count = S.tiles.size;
  }
  // Laid out in the next frame, not inside the observer's callback: the
  // tiles' new size must not resize the stage within the same frame (the
  // browser reports that as a "ResizeObserver loop" error).
  let layoutFrame = 0;
  if (window.ResizeObserver) new ResizeObserver(() => {
    cancelAnimationFrame(layoutFrame);
    layoutFrame = requestAnimationFrame(() => layoutTiles());
  }).observe($('stage'));
  window.addEventListener('resize', () => layoutTiles());

  // renderTile shows video or the avatar, the name and the mic-muted mark.
  function renderTile(t) {
    const self = t.id === S.id;
    const p = S.roster.find(p => p.id === t.id) || {};
    const name = p.name || (self ? S.name : t.id);
    let hasVideo;
    if (self) {
      hasVideo = !!(S.local.video && S.local.video.track.readyState === 'live' && !S.muted.video);
    } else {
      const st = S.streams.get(t.id);
      hasVideo = !!(p.video && !p.videoMuted && st && st.getVideoTracks().some(tr => tr.readyState === 'live'));
    }
    const muted = self ? (!S.local.audio || S.muted.audio) : (!p.audio || !!p.audioMuted);
    t.label.textContent = name + (self ? ' (you)' : '');
    paintAvatar(t.avatar, name, t.id);
    t.fig.classList.toggle('self', self);
    t.fig.classList.toggle('no-video', !hasVideo);
    t.fig.dataset.muted = muted ? '1' : '0';
    t.fig.title = name + (muted ? ' — microphone muted' : '');
    t.state = Object.assign(t.state, {name, self, muted, hasVideo});
  }
  function renderTiles() {
    for (const t of S.tiles.values()) renderTile(t);
    reportTiles();
  }
  // applyLevels: a ring whose strength follows the level, data-speaking
  // above the threshold, and the active speaker's class.
  function applyLevels() {
    for (const [id, t] of S.tiles) {
      const l = Math.max(0, Math.min(1, Number(S.levels[id]) || 0));
      const speaking = l >= speakingThreshold && !t.state.muted;
      t.fig.style.setProperty('--level', l.toFixed(2));
      t.fig.dataset.speaking = speaking ? '1' : '0';
      t.fig.classList.toggle('active-speaker', id === S.speaker && S.tiles.size > 1);
      t.state.level = l;
      t.state.speaking = speaking;
      t.state.activeSpeaker = id === S.speaker;
    }
    for (const li of $('roster').children) li.classList.toggle('speaking', (Number(S.levels[li.dataset.id]) || 0) >= speakingThreshold);
    reportTiles();
  }
  // tileStates reads each tile as a person sees it: from the DOM.
  function tileStates() {
    return [...S.tiles.values()].map(t => ({id: t.id, name: t.state.name || '', self: t.fig.classList.contains('self'),
      muted: t.fig.dataset.muted === '1', speaking: t.fig.dataset.speaking === '1',
      activeSpeaker: t.fig.classList.contains('active-speaker'), hasVideo: !t.fig.classList.contains('no-video'),
      level: t.state.level || 0}));
  }
  let lastTiles = '';
  function reportTiles(force) {
    if (!reporting) return;
    const tiles = tileStates();
    const key = JSON.stringify(tiles.map(t => Object.assign({}, t, {level: 0})));
    if (!force && key === lastTiles) return;
    lastTiles = key;
    report('tiles', {tiles});
  }

  function setRoster(list) {
    S.roster = list || [];
    const ids = new Set(S.roster.map(p => p.id));
    for (const id of [...S.tiles.keys()]) if (!ids.has(id)) removeTile(id);
    const ul = $('roster');
    ul.textContent = '';
    for (const p of S.roster) {
      const flags = [];
      if (!p.audio && !p.video) flags.push('listening');
      if (p.audio && p.audioMuted) flags.push('muted');
      if (p.video && p.videoMuted) flags.push('video hidden');
      if (p.video && !p.videoMuted) flags.push('camera');
      const li = document.createElement('li');
      li.dataset.id = p.id;
      const av = document.createElement('span');
      av.className = 'avatar small';
      paintAvatar(av, p.name, p.id);
      const nm = document.createElement('span');
      nm.className = 'who';
      nm.textContent = p.name + (p.id === S.id ? ' (you)' : '');
      const fl = document.createElement('span');
      fl.className = 'flags';
      fl.textContent = flags.join(' · ');
      li.append(av, nm, fl);
      ul.append(li);
      const known = S.tiles.has(p.id);
      const t = tileFor(p.id);
      const st = S.streams.get(p.id);
      if (!known && st && p.id !== S.id) { play(t.video, st); play(t.audio, st); }
      if (p.id === S.id && t.video.srcObject !== S.stream) play(t.video, S.stream);
    }
    $('count').textContent = S.roster.length ? '(' + S.roster.length + ')' : '';
    renderTiles();
    applyLevels();
    report('roster', {participants: S.roster});
  }
  function chatLine(cls, time, who, text) {
    const li = document.createElement('li');
    if (cls) li.className = cls;
    const tm = document.createElement('time');
    const d = time ? new Date(time) : new Date();
    tm.dateTime = d.toISOString();
    tm.textContent = d.toTimeString().slice(0, 5);
    if (who) {
      const b = document.createElement('b');
      b.textContent = who;
      li.append(b, tm, document.createElement('br'));
    } else {
      li.append(tm);
    }
    const span = document.createElement('span');
    span.className = 'text';
    span.textContent = text;
    li.append(span);
    const ol = $('chat');
    const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
    ol.append(li);
    if (atBottom || cls === 'mine') ol.scrollTop = ol.scrollHeight;
    if (cls !== 'notice' && document.body.classList.contains('chat-closed')) $('chat-toggle').classList.add('unread');
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
        // Joined muted: tell the room now that it can hear us.
        if (S.muted.audio && S.local.audio) send({type: 'mute', kind: 'audio', muted: true});
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
        notice(m.name + ' left' + (m.reason && m.reason !== 'left' ? ' (' + m.reason + ')' : ''), m);
        break;
      case 'mute':
        notice(nameOf(m.id) + (m.kind === 'audio' ? (m.muted ? ' muted the microphone' : ' unmuted the microphone')
          : (m.muted ? ' hid the video' : ' showed the video')), m);
        break;
      case 'levels':
        S.levels = m.levels || {};
        S.speaker = m.speaker || '';
        applyLevels();
        break;
      case 'chat':
        S.chat.push(m);
        chatLine(m.from === S.id ? 'mine' : '', m.time, m.name, m.text);
        report('chat', {msg: m});
        break;
      case 'error':
        log('server error', m.code, m.message);
        if (m.code === 'shutdown') {
          showBanner('disconnected', 'The server is shutting down: ' + m.message);
          break;
        }
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
    renderTiles();
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
      if (tile) { play(tile.video, stream); play(tile.audio, stream); renderTile(tile); reportTiles(); }
    };
    e.track.addEventListener('unmute', () => { const tile = S.tiles.get(from); if (tile) { renderTile(tile); reportTiles(); } });
    // A tile only for someone in the roster: a track of someone who has
    // just left (its section not stopped yet) makes no ghost tile; one of
    // someone the roster does not list yet waits in S.streams.
    const t = S.tiles.get(from);
    if (!t) return;
    if (e.track.kind === 'video') play(t.video, stream);
    else play(t.audio, stream);
    renderTile(t);
    reportTiles();
  }

  // --- actions --------------------------------------------------------
  // join enters the room with the pre-join's stream (or, with autojoin,
  // a fresh one); listenOnly joins with no devices at all.
  async function join(opts) {
    opts = opts || {};
    if (S.joined || S.pc) return;
    S.name = $('name').value.trim() || ('Guest ' + Math.floor(Math.random() * 1000));
    $('name').value = S.name;
    rememberName();
    $('join').disabled = $('join-listen').disabled = true;
    hideBanner();
    try {
      let stream;
      if (opts.listenOnly) {
        stopPreview();
        stream = new MediaStream();
      } else if (S.preview) {
        stopMeter();
        stream = S.preview;
        S.preview = null;
      } else {
        const withVideo = $('with-video').checked;
        if (!navigator.mediaDevices) throw Object.assign(new Error('no mediaDevices (not a secure context)'), {name: 'SecurityError'});
        stream = await navigator.mediaDevices.getUserMedia({audio: true, video: withVideo ? videoConstraints : false});
        for (const t of stream.getTracks()) S.allTracks.push(t);
      }
      S.stream = stream;
      S.muted.audio = $('join-muted').checked;
      S.muted.video = false;
      const pc = new RTCPeerConnection();
      S.pc = pc;
      pc.ontrack = onTrack;
      pc.oniceconnectionstatechange = () => watchICE(pc);
      pc.onconnectionstatechange = () => {
        const st = pc.connectionState;
        setState(st === 'connected' ? 'connected' : st, st);
        log('connection', st);
        report('state', {state: st});
        if (S.pc !== pc) return;
        if (st === 'connected') { clearTimeout(S.connectTimer); hideBanner('connection'); }
        if (st === 'failed') connectionTrouble(pc, 'failed');
      };
      for (const track of S.stream.getTracks()) {
        const transceiver = pc.addTransceiver(track, {direction: 'sendonly', streams: [S.stream]});
        S.local[track.kind] = {track, transceiver};
        track.enabled = !S.muted[track.kind];
      }
      const dc = pc.createDataChannel('signal', {protocol: 'plainrtc-signal/1'});
      S.dc = dc;
      dc.onmessage = e => serial(() => onSignal(e.data));
      dc.onopen = () => log('signaling channel open');
      dc.onclose = () => {
        log('signaling channel closed');
        if (S.joined) {
          teardown();
          setPhase('left');
          showBanner('disconnected', 'You were disconnected from the room (the server ended the session or the network went away).', [['Rejoin', rejoin]]);
          report('ended', {});
          notice('Disconnected from the room', {type: 'ended'});
        }
      };
      // No waiting for ICE gathering: the server is ICE-lite, lists all its
      // candidates in the answer and learns our address from our checks.
      await pc.setLocalDescription(await pc.createOffer());
      const resp = await fetch(api + '/join', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({name: S.name, token: clientToken(), offer: pc.localDescription.sdp})});
      const body = await resp.json().catch(() => ({}));
      if (resp.status !== 201) throw Object.assign(new Error('join: ' + resp.status + ' ' + (body.error || '')), {status: resp.status, reason: body.error || ''});
      S.id = body.id; S.secret = body.secret; S.joined = true; S.answer = body.answer;
      S.inspect = typeof body.inspect === 'string' ? body.inspect : '';
      $('inspector-toggle').hidden = !S.inspect;
      await pc.setRemoteDescription({type: 'answer', sdp: body.answer});
      log('joined', room, 'as', S.name, S.id);
      report('joined', {room, offer: pc.localDescription.sdp, answer: body.answer});
      setPhase('room');
      setState('connecting', 'connecting');
      loopbackHint();
      S.connectTimer = setTimeout(() => { if (S.pc === pc && pc.connectionState !== 'connected') connectionTrouble(pc, 'slow'); }, 12000);
      setRoster([{id: S.id, name: S.name, audio: !!S.local.audio, video: !!S.local.video, audioMuted: S.muted.audio}]);
      renderControls();
    } catch (e) {
      teardown();
      $('join').disabled = $('join-listen').disabled = false;
      joinError(e);
      if (S.leftOnce) {
        setPhase('left');
      } else {
        // Back to the pre-join, with the devices listed and, unless the
        // devices were the trouble, the preview running again.
        setPhase('prejoin');
        if (e && e.status) startPreview().catch(err => log('preview', String(err)));
        else listDevices().then(showPreview);
      }
      if (params.get('autojoin') === '1' || reporting) throw e;
    }
  }

  // joinError says why a join failed, in a banner.
  function joinError(e) {
    if (e && e.status === 503) {
      showBanner('room-full', 'This room is full or the server is at its limit (' + e.reason + '). Try again in a little while, or create another room.',
        [['Try again', () => join()]]);
    } else if (e && e.status === 400 && /^room name/.test(e.reason)) {
      showBanner('bad-room', 'This room name cannot be used: ' + e.reason + '. Pick another name on the start page.',
        [['All rooms', () => { location.href = '/'; }]]);
    } else if (e && e.status === 400) {
      showBanner('bad-request', 'The server refused to let you join: ' + e.reason + '.');
    } else if (e && e.status) {
      showBanner('error', 'The server could not let you join (' + e.status + (e.reason ? ': ' + e.reason : '') + ').', [['Try again', () => join()]]);
    } else if (e && /^(NotAllowed|NotFound|NotReadable|Abort|Security|Overconstrained)Error$/.test(e.name)) {
      mediaError(e, $('with-video').checked ? 'camera and microphone' : 'microphone');
    } else {
      showBanner('error', 'Could not join: ' + (e && e.message || e), [['Try again', () => join()]]);
    }
  }

  // loopbackHint: a server that advertises only loopback candidates is
  // out of reach for Firefox (it never pairs loopback candidates) and for
  // any other machine; say so before ICE gives up.
  function loopbackHint() {
    const cands = candidates(S.answer);
    if (!cands.length || !cands.every(c => isLoopback(c.address))) return;
    const remotePage = !isLoopback(location.hostname) && location.hostname !== '[::1]';
    if (isFirefox) {
      showBanner('connection', 'This server offers media only on ' + cands[0].address + ', and Firefox does not use loopback candidates: it will not connect. Start the demo with -ip <LAN address> (this machine\'s address on your network), or use Chromium here.');
    } else if (remotePage) {
      showBanner('connection', 'This server offers media only on ' + cands[0].address + ', which is not reachable from this machine. Start the demo with -ip <its LAN address> (or -ip 0.0.0.0 -advertise <address>) and -http 0.0.0.0:8080.');
    }
  }

  // connectionTrouble explains a connection that failed (or is slow to
  // come up): which state failed — ICE, DTLS, the connection — and what
  // to try.
  async function connectionTrouble(pc, why) {
    let dtls = '', pair = '';
    try {
      (await pc.getStats()).forEach(s => {
        if (s.type === 'transport') { dtls = s.dtlsState || dtls; pair = s.selectedCandidatePairId || pair; }
      });
    } catch (e) { /* closed meanwhile */ }
    // Browsers without transport stats (Firefox) still expose the DTLS
    // transport's state on the data channels' SCTP transport.
    if (!dtls && pc.sctp && pc.sctp.transport) dtls = pc.sctp.transport.state || '';
    if (S.pc !== pc) return;
    const ice = pc.iceConnectionState, conn = pc.connectionState;
    const cands = candidates(S.answer);
    const addrs = [...new Set(cands.map(c => c.address + ':' + c.port + '/' + c.protocol))].join(', ') || 'none';
    const states = 'ICE ' + ice + ', DTLS ' + (dtls || 'unknown') + ', connection ' + conn;
    let hint;
    const loopOnly = cands.length && cands.every(c => isLoopback(c.address));
    if ((ice === 'connected' || ice === 'completed') && (dtls === 'failed' || conn === 'failed')) {
      hint = 'The network path works but the DTLS handshake failed: the server log says why; reload to try again.';
    } else if (loopOnly && isFirefox) {
      hint = 'Firefox does not use loopback candidates: start the demo with -ip <LAN address>.';
    } else if (loopOnly && !isLoopback(location.hostname)) {
      hint = 'The server advertises only loopback, which other machines cannot reach: start it with -ip <LAN address> (or -ip 0.0.0.0 -advertise <address>).';
    } else {
      hint = 'Check that UDP ' + addrs + ' is reachable from this machine (a firewall, a VPN or a NAT in between). Behind NAT or in a container, start the demo with -advertise <address others reach>; other machines also need https (-tls-cert, -tls-key).';
    }
    const head = why === 'slow' ? 'Still not connected after 12 seconds' : 'The connection failed';
    showBanner('connection', head + ' (' + states + '; server candidates: ' + addrs + '). ' + hint,
      [['Try again', () => serial(restartIce)], ['Reload', () => location.reload()]]);
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
    if (st === 'failed') {
      connectionTrouble(pc, 'failed');
      serial(restartIce).catch(() => {});
    } else if (st === 'disconnected') {
      setState('reconnecting', 'disconnected');
      S.disconnectTimer = setTimeout(() => serial(restartIce).catch(() => {}), 3000);
    }
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
      S.answer = body.answer;
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
    renderControls();
    renderTiles();
    applyLevels();
    send({type: 'mute', kind, muted});
  }

  // publish(kind) gets a new device track and asks the server for a
  // section to send it on; unpublish stops it. camera(true/false) is the
  // camera's button; the microphone button publishes a microphone when
  // the page joined without one.
  async function publish(kind) {
    if (S.local[kind] || S.pending[kind].length) return;
    let s;
    try {
      s = await navigator.mediaDevices.getUserMedia(kind === 'video' ? {video: videoConstraints} : {audio: true});
    } catch (e) {
      mediaError(e, kind === 'video' ? 'camera' : 'microphone');
      if (reporting) throw e;
      return;
    }
    const track = kind === 'video' ? s.getVideoTracks()[0] : s.getAudioTracks()[0];
    S.allTracks.push(track);
    if (!S.joined) { track.stop(); return; }
    S.pending[kind].push(track);
    S.stream.addTrack(track);
    S.muted[kind] = false;
    send({type: 'publish', kind});
  }
  async function unpublish(kind) {
    const l = S.local[kind];
    S.local[kind] = null;
    if (l) {
      send({type: 'unpublish', mid: l.transceiver.mid});
      l.track.stop();
      S.stream.removeTrack(l.track);
      await l.transceiver.sender.replaceTrack(null);
    }
    for (const t of S.pending[kind].splice(0)) { t.stop(); S.stream.removeTrack(t); }
  }
  async function camera(on) {
    if (on) {
      // The button says so at once; the permission prompt may take a while.
      $('camera').querySelector('span').textContent = 'Starting…';
      try { await publish('video'); } finally { renderControls(); }
    } else {
      await unpublish('video');
    }
    const me = S.tiles.get(S.id);
    if (me) play(me.video, S.stream);
    renderControls();
    renderTiles();
  }

  // leave: devices off first (the camera light goes out at once), then
  // the server is told over HTTP, and only then the connection closes,
  // so the leave never races the transport's end.
  async function leave() {
    if (!S.joined) return;
    const url = api + '/participants/' + encodeURIComponent(S.id) + '/leave';
    const secret = S.secret;
    S.joined = false;
    stopLocalTracks();
    let told = false;
    try {
      const resp = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({secret})});
      told = resp.status === 204 || resp.status === 404; // 404: the session had ended already
    } catch (e) { log('leave over HTTP', String(e)); }
    if (!told) { try { send({type: 'leave'}); } catch (e) { /* nothing left to tell */ } }
    teardown();
    S.leftOnce = true;
    setPhase('left');
    notice('You left the room', {type: 'self-left'});
    report('left', {tracks: S.allTracks.map(t => ({kind: t.kind, readyState: t.readyState}))});
  }
  async function rejoin() {
    hideBanner();
    $('room').hidden = true;
    await join();
  }

  function stopLocalTracks() {
    for (const t of S.allTracks) t.stop();
    if (S.stream) for (const t of S.stream.getTracks()) t.stop();
    for (const k of ['audio', 'video']) for (const t of S.pending[k]) t.stop();
  }

  function teardown() {
    S.joined = false;
    stopLocalTracks();
    for (const k of ['audio', 'video']) { S.pending[k].splice(0); S.local[k] = null; }
    clearTimeout(S.disconnectTimer);
    clearTimeout(S.connectTimer);
    if (S.dc) { S.dc.onclose = null; S.dc.onmessage = null; }
    if (S.pc) S.pc.close();
    S.pc = null; S.dc = null; S.stream = null; S.remote = {}; S.streams.clear();
    for (const id of [...S.tiles.keys()]) removeTile(id);
    $('roster').textContent = '';
    S.roster = []; S.levels = {}; S.speaker = '';
    $('chat-text').disabled = $('chat-send').disabled = true;
    $('inspector-toggle').hidden = true;
    setState('');
  }

  function renderControls() {
    const a = $('mute-audio'), c = $('camera');
    const micOff = !S.local.audio || S.muted.audio;
    // Stable names, pressed = the state the name says (WAI-ARIA toggle buttons).
    a.setAttribute('aria-label', 'Mute microphone');
    a.setAttribute('aria-pressed', String(micOff));
    a.classList.toggle('off', micOff);
    a.querySelector('span').textContent = !S.local.audio ? (S.pending.audio.length ? 'Starting…' : 'Mic on') : S.muted.audio ? 'Unmute' : 'Mute';
    a.title = !S.local.audio ? 'Turn on your microphone' : S.muted.audio ? 'Unmute your microphone' : 'Mute your microphone';
    const camOn = !!(S.local.video || S.pending.video.length);
    c.setAttribute('aria-label', 'Camera off');
    c.setAttribute('aria-pressed', String(!camOn));
    c.classList.toggle('off', !camOn);
    c.querySelector('span').textContent = camOn ? 'Camera off' : 'Camera on';
    c.title = camOn ? 'Turn your camera off' : 'Turn your camera on';
  }

  // Summaries of getStats per section (W3C webrtc-stats): inbound-rtp of
  // every receiving section with the participant it comes from, and
  // outbound-rtp of every sending one.
  async function stats() {
    const out = {state: S.pc ? S.pc.connectionState : 'closed', tiles: [...S.tiles.keys()], inbound: [], outbound: [], transport: {}};
    if (!S.pc) return out;
    // The DTLS transport as the browser sees it (Chromium; Firefox has no
    // transport stats): what the inspector's handshake line must agree with.
    (await S.pc.getStats()).forEach(s => {
      if (s.type === 'transport') out.transport = {dtlsState: s.dtlsState || '', srtpCipher: s.srtpCipher || '', dtlsRole: s.dtlsRole || ''};
    });
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
  // busy runs a button's action once at a time: the button is disabled
  // while the action is in flight, so a double click does it once.
  const busy = (btn, fn) => () => {
    if (btn.disabled) return;
    btn.disabled = true;
    guard(fn)().finally(() => { btn.disabled = false; });
  };
  $('join-form').onsubmit = e => { e.preventDefault(); if (!$('join').disabled) guard(join)(); };
  $('join-listen').onclick = () => guard(join)({listenOnly: true});
  $('rejoin').onclick = busy($('rejoin'), rejoin);
  $('chat-form').onsubmit = e => {
    e.preventDefault();
    const text = $('chat-text').value;
    $('chat-text').value = '';
    guard(sendChat)(text);
  };
  $('mute-audio').onclick = busy($('mute-audio'), async () => {
    if (S.local.audio) mute('audio', !S.muted.audio);
    else { await publish('audio'); renderControls(); }
  });
  $('camera').onclick = busy($('camera'), () => camera(!(S.local.video || S.pending.video.length)));
  $('leave').onclick = busy($('leave'), leave);
  $('chat-toggle').onclick = () => {
    const closed = document.body.classList.toggle('chat-closed');
    $('chat-toggle').setAttribute('aria-pressed', String(!closed));
    if (!closed) $('chat-toggle').classList.remove('unread');
  };
  // The inspector panel belongs to inspector.js: this page only opens and
  // closes it and tells inspector.js with a "plainrtc-inspector" event
  // ({detail: {open, token}}) on window.
  $('inspector-toggle').onclick = () => {
    const panel = $('inspector');
    panel.hidden = !panel.hidden;
    $('inspector-toggle').setAttribute('aria-pressed', String(!panel.hidden));
    document.body.classList.toggle('inspector-open', !panel.hidden);
    window.dispatchEvent(new CustomEvent('plainrtc-inspector', {detail: {open: !panel.hidden, token: S.inspect}}));
  };
  $('copy-link').onclick = async () => {
    const link = location.origin + location.pathname;
    try { await navigator.clipboard.writeText(link); $('copy-link').querySelector('span').textContent = 'Copied'; } catch (e) {
      prompt('The link to this room:', link);
    }
    setTimeout(() => { $('copy-link').querySelector('span').textContent = 'Copy link'; }, 2000);
  };
  $('mic-select').onchange = () => { S.devices.mic = $('mic-select').value; guard(startPreview)(); };
  $('cam-select').onchange = () => {
    S.devices.cam = $('cam-select').value;
    $('with-video').checked = S.devices.cam !== 'none';
    guard(startPreview)();
  };
  $('with-video').onchange = () => {
    if ($('with-video').checked && S.devices.cam === 'none') S.devices.cam = '';
    guard(startPreview)();
  };
  $('name').addEventListener('input', () => { rememberName(); if (!S.joined) showPreview(); });
  if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
    navigator.mediaDevices.addEventListener('devicechange', () => { if (!S.joined && $('prejoin').hidden === false) listDevices(); });
  }
  // Leaving the page leaves the room: the data channel dies with it, so
  // HTTP it is (sendBeacon posts text/plain; the server reads the JSON).
  window.addEventListener('pagehide', () => {
    if (S.joined && S.id && !S.noBeacon) {
      navigator.sendBeacon(api + '/participants/' + encodeURIComponent(S.id) + '/leave', JSON.stringify({secret: S.secret}));
    }
  });
  // A narrow window starts with the chat folded under the tiles.
  if (window.matchMedia && matchMedia('(max-width: 720px)').matches) document.body.classList.add('chat-closed');

  const privateRoom = room.startsWith('~');
  $('room-name').textContent = privateRoom ? 'Private room' : room;
  if (privateRoom) {
    $('room-name').title = room;
    $('prejoin-note').textContent = 'This room is private: only people with its link can join. Use "Copy link" to invite them.';
  }
  document.title = (privateRoom ? 'Private room' : room) + ' · plainrtc';
  $('name').value = params.get('name') || localStorage.getItem('plainrtc.name') || '';
  if (params.get('video') === '0') { $('with-video').checked = false; }
  if (params.get('muted') === '1') { $('join-muted').checked = true; }

  window.plainrtc = {
    get id() { return S.id; }, get name() { return S.name; }, get room() { return room; },
    get roster() { return S.roster; }, get chat() { return S.chat; },
    get events() { return S.events; }, get offers() { return S.offers; },
    get pc() { return S.pc; }, get joined() { return S.joined; },
    get inspect() { return S.inspect; }, get secret() { return S.secret; },
    get tiles() { return tileStates(); },
    get localTracks() { return S.allTracks.map(t => ({kind: t.kind, readyState: t.readyState})); },
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
        reportTiles(true);
      }
    })();
  }

  if (params.get('autojoin') === '1') {
    setPhase('joining');
    guard(join)(params.get('audio') === '0' && params.get('video') === '0' ? {listenOnly: true} : {});
  } else {
    setPhase('prejoin');
    guard(startPreview)();
  }
})();
