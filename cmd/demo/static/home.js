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

async function refreshRooms() {
  const list = document.getElementById("rooms");
  try {
    const resp = await fetch("/api/rooms", { cache: "no-store" });
    const { rooms } = await resp.json();
    list.replaceChildren();
    if (!rooms.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = "Nobody is talking yet. Create a room below.";
      list.append(li);
    }
    for (const r of rooms) {
      const li = document.createElement("li");
      const left = document.createElement("div");
      const a = document.createElement("a");
      a.href = roomURL(r.name);
      a.textContent = r.name;
      left.append(a);
      if (r.topic) {
        const t = document.createElement("div");
        t.className = "topic";
        t.textContent = r.topic;
        left.append(t);
      }
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = r.participants === 1 ? "1 person" : r.participants + " people";
      li.append(left, count);
      list.append(li);
    }
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement("li"), { className: "empty", textContent: "The server does not answer." }));
  }
}
refreshRooms();
setInterval(refreshRooms, 2000);

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
