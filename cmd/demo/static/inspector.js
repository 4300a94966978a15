// inspector.js: the protocol inspector panel (#inspector) of the room page.
// A stub: the inspector's own file replaces it. room.js shows
// #inspector-toggle when the join response has an "inspect" token
// (window.plainrtc.inspect), opens and closes #inspector, and dispatches
// a "plainrtc-inspector" event on window with {detail: {open, token}}.
'use strict';
