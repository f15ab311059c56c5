// A Talk channel page without reload: when the live stream (live.js) tells of a new, edited or deleted message, a
// reaction or a pin in this channel, the page fetches itself again and swaps in the message list. The server renders
// the list (Markdown made safe, the access check asked again); this script only moves that HTML into place. Without
// JavaScript the page works by reload. An older page (?before=) stays as it is.
const area = document.getElementById("talk-live");
const status = document.getElementById("talk-live-status");
const kinds = new Set(["message.new", "message.edit", "message.delete", "reaction", "pin"]);
let pending = false;
let running = false;
let failed = false;

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
}

async function refresh() {
  if (running) {
    pending = true;
    return;
  }
  running = true;
  pending = false;
  try {
    const stay = nearBottom();
    let response;
    try {
      response = await fetch(location.pathname + location.search, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      // Offline: try again when the network is back.
      failed = true;
      return;
    }
    failed = false;
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("talk-live");
    if (!fresh) return;
    area.replaceChildren(...fresh.childNodes);
    if (status) status.textContent = status.dataset.text || "";
    if (stay) area.lastElementChild?.scrollIntoView({ block: "end" });
  } finally {
    running = false;
    if (pending) setTimeout(refresh, 100);
  }
}

if (area && area.dataset.live === "on") {
  document.addEventListener("dokodemo:live", (e) => {
    const { type, data } = e.detail || {};
    if (!kinds.has(type) || !data || String(data.channel) !== area.dataset.channel) return;
    // Replies too: the channel page shows their count on the thread's first message.
    if (document.visibilityState === "visible") refresh();
    else pending = true;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && pending) refresh();
  });
  document.addEventListener("dokodemo:online", () => {
    if (failed || pending) refresh();
  });
}
