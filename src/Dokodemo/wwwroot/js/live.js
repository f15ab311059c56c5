// Live events on signed-in pages (Server-Sent Events from /api/v1/talk/stream). The layout's nav carries the stream's
// address and the id of the newest event when the page was rendered, so nothing between render and connect is lost;
// after that EventSource reconnects by itself with Last-Event-ID. Without JavaScript the pages work as before (the
// unread count is right at each page load).
const nav = document.querySelector("nav[data-live-stream]");

// The event types pages may listen to; Talk adds its own here.
const types = ["notification", "notification.read", "notice", "message.new", "message.edit", "message.delete", "reaction", "pin", "read",
  "audience.changed", "reset", "end"];

function badge(unread) {
  const link = document.getElementById("nav-notifications");
  if (!link || typeof unread !== "number") return;
  let count = link.querySelector("#nav-unread");
  let spoken = link.querySelector(".nav-unread-text");
  if (unread <= 0) {
    count?.remove();
    spoken?.remove();
    return;
  }
  if (!count) {
    count = document.createElement("span");
    count.id = "nav-unread";
    count.className = "badge warn nav-badge";
    count.setAttribute("aria-hidden", "true");
    link.append(count);
  }
  if (!spoken) {
    spoken = document.createElement("span");
    spoken.className = "visually-hidden nav-unread-text";
    link.append(spoken);
  }
  count.textContent = String(unread);
  spoken.textContent = " " + (nav.dataset.unreadFormat || "{0}").replace("{0}", String(unread));
}

// The newest event id this page has seen: a new connection starts after it (no gap, no duplicate).
let last = nav?.dataset.liveFrom || "";
let source = null;

function connect() {
  source = new EventSource(nav.dataset.liveStream + (last ? "?lastEventId=" + encodeURIComponent(last) : ""));
  for (const type of types) {
    source.addEventListener(type, (e) => {
      if (e.lastEventId) last = e.lastEventId;
      let data = null;
      try {
        data = JSON.parse(e.data);
      } catch {
        data = null;
      }
      if (type === "notification" || type === "notification.read") badge(data?.unread);
      // Other pages (Talk) listen for this; a page with unsaved input may cancel a reset's reload.
      const live = new CustomEvent("dokodemo:live", { detail: { id: e.lastEventId, type, data }, cancelable: true });
      const go = document.dispatchEvent(live);
      if (type === "reset" && go) location.reload();
      // The server ended the stream (session over, access withdrawn): reconnecting would be refused.
      if (type === "end") {
        source.close();
        source = null;
      }
    });
  }
}

if (nav && "EventSource" in window) {
  connect();
  // The device lost its network (a train tunnel, hotel Wi-Fi): drop the stream at once rather than wait for a timeout,
  // and when it is back, resume after the last event seen. EventSource's own retries cover a server that went away.
  window.addEventListener("offline", () => {
    source?.close();
    source = null;
  });
  window.addEventListener("online", () => {
    if (!source) connect();
    document.dispatchEvent(new CustomEvent("dokodemo:online"));
  });
}
