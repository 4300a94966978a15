// The start page: public rooms with live participant counts, creating a
// room (public or private), and the display name remembered.
"use strict";

const nameInput = document.getElementById("name");
nameInput.value = localStorage.getItem("plainrtc.name") || "";
nameInput.addEventListener("input", () => localStorage.setItem("plainrtc.name", nameInput.value.trim()));

function roomURL(room) {
  const name = nameInput.value.trim();
  return "/r/" + encodeURIComponent(room) + (name ? "?name=" + encodeURIComponent(name) : "");
}

function hue(s) {
  let h = 0;
  for (const c of String(s)) h = (h * 31 + c.codePointAt(0)) >>> 0;
  return h % 360;
}

async function refreshRooms() {
  const list = document.getElementById("rooms");
  try {
    const resp = await fetch("/api/rooms", { cache: "no-store" });
    const { rooms } = await resp.json();
    list.replaceChildren();
    if (!rooms.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = "Nobody is talking yet. Create a room and share its link.";
      list.append(li);
    }
    for (const r of rooms) {
      const li = document.createElement("li");
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = (Array.from(r.name.trim())[0] || "#").toUpperCase();
      badge.style.setProperty("--hue", hue(r.name));
      const what = document.createElement("div");
      what.className = "what";
      const a = document.createElement("a");
      a.href = roomURL(r.name);
      a.textContent = r.name;
      what.append(a);
      if (r.topic) {
        const t = document.createElement("div");
        t.className = "topic";
        t.textContent = r.topic;
        t.title = r.topic;
        what.append(t);
      }
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = r.participants === 1 ? "1 person" : r.participants + " people";
      const join = document.createElement("a");
      join.className = "join";
      join.href = roomURL(r.name);
      join.textContent = "Join";
      join.setAttribute("aria-label", "Join " + r.name);
      li.append(badge, what, count, join);
      list.append(li);
    }
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement("li"), { className: "empty", textContent: "The server does not answer." }));
  }
}
refreshRooms();
setInterval(refreshRooms, 2000);

// A private room's name is made by the server: the name field does not apply.
const privateBox = document.getElementById("room-private");
privateBox.addEventListener("change", () => {
  const n = document.getElementById("room-name");
  n.disabled = privateBox.checked;
  n.placeholder = privateBox.checked ? "made by the server: share the room's link" : "e.g. Spanish B1";
});

document.getElementById("create").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const btn = document.getElementById("create-btn");
  const err = document.getElementById("create-error");
  err.textContent = "";
  if (!nameInput.value.trim()) {
    err.textContent = "Choose your name first.";
    nameInput.focus();
    return;
  }
  const priv = document.getElementById("room-private").checked;
  const body = {
    name: document.getElementById("room-name").value.trim(),
    topic: document.getElementById("room-topic").value.trim(),
    private: priv,
  };
  if (!priv && !body.name) {
    err.textContent = "Give the room a name.";
    return;
  }
  btn.disabled = true;
  try {
    const resp = await fetch("/api/rooms", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const out = await resp.json();
    if (!resp.ok) {
      err.textContent = out.error || "The room could not be created.";
      return;
    }
    location.href = roomURL(out.name);
  } finally {
    btn.disabled = false;
  }
});
