// plainrtc protocol inspector: the panel of the room page that shows, live,
// what the server sees of this participant's own session — STUN checks,
// the DTLS handshake, SCTP and DCEP, each RTP stream once a second, RTCP,
// every renegotiation — each line linked to the RFC section that defines
// it. The server streams the lines (server-sent events) from
//   GET /api/rooms/{room}/participants/{id}/inspect?token=T
// and offers the session's recording (pcapng + DTLS key log + SDPs, which
// `go run ./cmd/rtcdump` reads) at
//   GET /api/rooms/{room}/participants/{id}/capture?token=T
// The token comes with the join answer only when the demo runs with
// -inspector; room.js shows the #inspector-toggle button then.
//
// A line (docs/SIGNALING.md, "Inspector"):
//   {seq, ms, layer, dir, summary, ref, url, count, detail: [{depth, name, value, ref, url}]}
//
// With ?inspector=1 the panel opens by itself once joined (tests, screenshots);
// room.js shows and hides the panel (#inspector-toggle) and tells this file
// with a "plainrtc-inspector" event on window;
// with report=1 the lines of the DTLS layer and counts per layer go to the
// test's collector as reports of kind "inspector".
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const reporting = params.get('report') === '1';
  const maxLines = 600;       // lines kept in the page; older ones scroll away
  const layers = ['session', 'stun', 'ice', 'dtls', 'sctp', 'dcep', 'sdp', 'rtp', 'rtcp'];
  const $ = id => document.getElementById(id);

  const I = {
    es: null, session: '', lines: 0, shown: new Set(layers), paused: false, held: [],
    counts: {}, dtls: [], reportTimer: 0, watch: 0,
  };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function rfcLink(ref, url) {
    if (!ref) return null;
    if (!url) return el('span', 'ref', ref);
    const a = el('a', 'ref', ref);
    a.href = url; a.target = '_blank'; a.rel = 'noopener';
    a.title = 'open ' + ref + ' at the RFC Editor';
    return a;
  }
  function base(p) {
    return '/api/rooms/' + encodeURIComponent(p.room) + '/participants/' + encodeURIComponent(p.id);
  }

  // build makes the panel's parts once: toolbar (layer filters, pause,
  // download), the list, and a line explaining what this is.
  function build(panel) {
    if (panel.dataset.built) return;
    panel.dataset.built = '1';
    panel.textContent = '';
    const head = el('div', 'insp-head');
    const title = el('h2', '', 'Protocol inspector');
    const status = el('span', 'insp-status', 'connecting…');
    status.id = 'insp-status';
    head.append(title, status);
    const intro = el('p', 'insp-intro',
      'What the server sees of your own session, as it happens. Click a line for every field; the link opens the RFC section that defines it.');
    const bar = el('div', 'insp-bar');
    for (const l of layers) {
      const lab = el('label', 'insp-layer layer-' + l);
      const cb = el('input');
      cb.type = 'checkbox'; cb.checked = true; cb.dataset.layer = l;
      cb.onchange = () => { if (cb.checked) I.shown.add(l); else I.shown.delete(l); filter(); };
      lab.append(cb, document.createTextNode(' ' + l));
      bar.append(lab);
    }
    const pause = el('button', 'insp-pause', 'Pause');
    pause.type = 'button'; pause.id = 'insp-pause';
    pause.setAttribute('aria-pressed', 'false');
    pause.onclick = () => {
      I.paused = !I.paused;
      pause.textContent = I.paused ? 'Resume' : 'Pause';
      pause.setAttribute('aria-pressed', String(I.paused));
      if (!I.paused) { for (const m of I.held.splice(0)) addLine(m); }
    };
    const dl = el('a', 'insp-download', 'Download capture');
    dl.id = 'insp-download';
    dl.title = 'pcapng + DTLS key log + SDPs of your session: go run ./cmd/rtcdump DIR explains every packet';
    bar.append(pause, dl);
    const list = el('ol', 'insp-lines');
    list.id = 'insp-lines';
    list.setAttribute('aria-live', 'off');
    panel.append(head, intro, bar, list);
  }

  function filter() {
    for (const li of $('insp-lines').children) li.hidden = !I.shown.has(li.dataset.layer);
  }

  function fmtTime(ms) {
    return (ms / 1000).toFixed(3).padStart(8, ' ') + ' s';
  }

  // addLine appends one inspector line; a click shows its detail.
  function addLine(m) {
    I.lines++;
    I.counts[m.layer] = (I.counts[m.layer] || 0) + 1;
    if (m.layer === 'dtls') {
      I.dtls.push({summary: m.summary, detail: m.detail || []});
    }
    if (I.paused) { I.held.push(m); if (I.held.length > maxLines) I.held.shift(); return; }
    const list = $('insp-lines');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 30;
    const li = el('li', 'insp-line layer-' + m.layer);
    li.dataset.layer = m.layer;
    li.hidden = !I.shown.has(m.layer);
    const row = el('div', 'insp-row');
    row.append(el('time', '', fmtTime(m.ms || 0)), el('span', 'insp-badge', m.layer));
    const arrow = m.dir === 'in' ? '→ SFU' : m.dir === 'out' ? '← SFU' : '';
    if (arrow) row.append(el('span', 'insp-dir', arrow));
    const sum = el('span', 'insp-summary', m.summary || '');
    row.append(sum);
    if (m.count > 1) row.append(el('span', 'insp-count', '×' + m.count));
    const link = rfcLink(m.ref, m.url);
    if (link) row.append(link);
    li.append(row);
    if (m.detail && m.detail.length) {
      li.classList.add('has-detail');
      row.tabIndex = 0;
      row.setAttribute('role', 'button');
      row.setAttribute('aria-expanded', 'false');
      const toggle = () => {
        let d = li.querySelector('.insp-detail');
        if (d) { d.remove(); row.setAttribute('aria-expanded', 'false'); return; }
        d = el('dl', 'insp-detail');
        for (const f of m.detail) {
          const dt = el('dt', '', f.name || '');
          dt.style.paddingLeft = (f.depth || 0) + 'em';
          const dd = el('dd', '', f.value || '');
          const l = rfcLink(f.ref, f.url);
          if (l) dd.append(' ', l);
          d.append(dt, dd);
        }
        li.append(d);
        row.setAttribute('aria-expanded', 'true');
      };
      row.onclick = e => { if (e.target.tagName !== 'A') toggle(); };
      row.onkeydown = e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } };
    }
    list.append(li);
    while (list.children.length > maxLines) list.firstElementChild.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function setStatus(text, bad) {
    const s = $('insp-status');
    if (!s) return;
    s.textContent = text;
    s.classList.toggle('bad', !!bad);
  }

  // connect opens the stream for the session p joined as. EventSource
  // reconnects by itself after a network hiccup; the server replays its
  // recent history, so lines already shown (by seq) are skipped.
  let lastSeq = 0;
  function connect(p) {
    const key = p.id + '/' + p.inspect;
    if (I.session === key && I.es) return;
    if (I.es) I.es.close();
    I.session = key;
    lastSeq = 0;
    const q = '?token=' + encodeURIComponent(p.inspect);
    const dl = $('insp-download');
    dl.href = base(p) + '/capture' + q;
    dl.download = 'plainrtc-' + p.room + '-' + p.id + '.zip';
    const es = new EventSource(base(p) + '/inspect' + q);
    I.es = es;
    es.onopen = () => setStatus('live');
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting…', true);
    es.onmessage = e => {
      let m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.seq && m.seq <= lastSeq) return;
      lastSeq = m.seq || lastSeq;
      addLine(m);
      // The server ends the stream after the session's last line; without
      // this EventSource would reconnect and replay it every few seconds.
      if (m.layer === 'session' && /^session ended/.test(m.summary || '')) { es.close(); setStatus('ended'); }
    };
    if (reporting && !I.reportTimer) {
      I.reportTimer = setInterval(() => {
        const p = window.plainrtc;
        fetch('/report', {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({kind: 'inspector', name: p ? p.name : '', id: p ? p.id : '', t: Date.now(),
            lines: I.lines, counts: I.counts, dtls: I.dtls.slice(0, 40)})}).catch(() => {});
      }, 1000);
    }
  }

  // open fills and connects the panel room.js has just shown.
  function open() {
    const p = window.plainrtc;
    const panel = $('inspector');
    if (!p || !panel || !p.inspect || !p.id) return false;
    build(panel);
    connect(p);
    // A rejoin is a new session (new id and token): follow it while open.
    if (!I.watch) {
      I.watch = setInterval(() => {
        const q = window.plainrtc;
        if (!$('inspector').hidden && q && q.inspect && q.id && q.id + '/' + q.inspect !== I.session) {
          $('insp-lines').textContent = '';
          connect(q);
        }
      }, 1000);
    }
    return true;
  }

  // room.js owns the toggle button and the panel's visibility and says
  // when it opens or closes it; the stream stays connected while closed,
  // so reopening shows what happened meanwhile.
  window.addEventListener('plainrtc-inspector', e => { if (e.detail && e.detail.open) open(); });
  if (params.get('inspector') === '1') {
    const t = setInterval(() => {
      const b = $('inspector-toggle');
      if (b && !b.hidden && window.plainrtc && window.plainrtc.id) {
        clearInterval(t);
        if ($('inspector').hidden) b.click();
      }
    }, 250);
  }
  window.plainrtcInspector = {get lines() { return I.lines; }, get counts() { return I.counts; }};
})();
