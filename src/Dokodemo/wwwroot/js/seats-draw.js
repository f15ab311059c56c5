// The plan editor (/seats/admin/floors/{id}/draw). It keeps the drawing in memory, draws it into the page's SVG and
// sends it whole to PUT /api/v1/seats/admin/floors/{id}/drawing, which checks everything and writes the plan itself.
// No inline script or style: the CSP forbids them, so everything here is SVG attributes and CSS classes.
const editor = document.getElementById("draw-editor");
if (editor) {
  start(editor);
}

function start(editor) {
  const NS = "http://www.w3.org/2000/svg";
  const api = editor.dataset.api;
  const W = Number(editor.dataset.width);
  const H = Number(editor.dataset.height);
  const say = JSON.parse(editor.dataset.text);
  const $ = (id) => document.getElementById(id);
  const canvas = $("draw-canvas");
  const layer = $("draw-items");
  const list = $("draw-list");
  const status = $("draw-status");
  const problem = $("draw-error");
  const gridSelect = $("draw-grid");
  const keep = $("draw-keep");
  const props = {
    label: $("draw-p-label"), text: $("draw-p-text"), name: $("draw-p-name"), kind: $("draw-p-kind"), department: $("draw-p-department"),
  };

  let items = [];
  let inactive = [];
  let stamp = null;
  let selected = null;
  let tool = "select";
  let drag = null;
  let history = [];
  let seq = 0;
  const newKey = () => "k" + (++seq);

  $("draw-nojs").hidden = true;
  editor.hidden = false;

  // ---- state -------------------------------------------------------------------------------------------------------
  function apply(drawing) {
    inactive = drawing.inactiveLabels || [];
    stamp = drawing.stamp;
    items = [
      ...drawing.zones.map((z) => ({ key: newKey(), kind: "zone", id: z.id, name: z.name, zoneKind: z.kind, departmentId: z.departmentId, x: z.x, y: z.y, w: z.width, h: z.height })),
      ...drawing.shapes.map((s) => s.type === "rect" ? { key: newKey(), kind: "rect", x: s.x, y: s.y, w: s.width, h: s.height }
        : s.type === "line" ? { key: newKey(), kind: "line", x: s.x, y: s.y, x2: s.x2, y2: s.y2 }
          : { key: newKey(), kind: "text", x: s.x, y: s.y, text: s.text }),
      ...drawing.desks.map((d) => ({ key: newKey(), kind: "desk", id: d.id, label: d.label, x: d.x, y: d.y })),
    ];
    history = [];
    selected = null;
    render();
  }

  function body() {
    const shapes = items.filter((i) => i.kind === "rect" || i.kind === "line" || i.kind === "text").map((i) =>
      i.kind === "rect" ? { type: "rect", x: i.x, y: i.y, width: i.w, height: i.h }
        : i.kind === "line" ? { type: "line", x: i.x, y: i.y, x2: i.x2, y2: i.y2 }
          : { type: "text", x: i.x, y: i.y, text: i.text });
    const desks = items.filter((i) => i.kind === "desk").map((i) => ({ id: i.id ?? null, label: i.label, x: i.x, y: i.y }));
    const zones = items.filter((i) => i.kind === "zone").map((i) => ({
      id: i.id ?? null, name: i.name, kind: i.zoneKind, departmentId: i.departmentId ?? null, x: i.x, y: i.y, width: i.w, height: i.h,
    }));
    return { shapes, desks, zones, keepBackground: keep ? keep.checked : true, stamp };
  }

  function snapshot() {
    history.push(JSON.stringify({ items, selected }));
    if (history.length > 100) {
      history.shift();
    }
    status.textContent = say.unsaved;
  }

  function undo() {
    const last = history.pop();
    if (last) {
      ({ items, selected } = JSON.parse(last));
      render();
    }
  }

  const item = (key) => items.find((i) => i.key === key);
  const grid = () => Number(gridSelect.value) || 0;
  const snap = (v) => (grid() ? Math.round(v / grid()) * grid() : Math.round(v));
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

  function nextLabel() {
    const used = new Set([...items.filter((i) => i.kind === "desk").map((i) => i.label), ...inactive]);
    let prefix = "D-";
    let n = 0;
    let width = 2;
    for (const i of items) {
      const m = i.kind === "desk" ? /^(.*?)(\d+)$/.exec(i.label) : null;
      if (m) {
        [prefix, n, width] = [m[1], Number(m[2]), m[2].length];
      }
    }
    let label;
    do {
      n += 1;
      label = prefix + String(n).padStart(width, "0");
    } while (used.has(label));
    return label;
  }

  // ---- drawing -----------------------------------------------------------------------------------------------------
  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) {
      e.setAttribute(k, String(v));
    }
    parent.appendChild(e);
    return e;
  }

  function describe(i) {
    switch (i.kind) {
      case "desk": return `${say.desk} ${i.label}（${i.x}, ${i.y}）`;
      case "zone": return `${say.zone} ${i.name}（${i.x}, ${i.y} — ${i.w} × ${i.h}）`;
      case "rect": return `${say.rect}（${i.x}, ${i.y} — ${i.w} × ${i.h}）`;
      case "line": return `${say.line}（${i.x}, ${i.y} → ${i.x2}, ${i.y2}）`;
      default: return `${say.text}「${i.text}」（${i.x}, ${i.y}）`;
    }
  }

  const order = { zone: 0, rect: 1, line: 1, text: 2, desk: 3 };

  function render() {
    layer.replaceChildren();
    for (const i of [...items].sort((a, b) => order[a.kind] - order[b.kind])) {
      const g = el("g", { class: `draw-item draw-${i.kind}${i.key === selected ? " draw-selected" : ""}`, "data-key": i.key }, layer);
      if (i.kind === "rect" || i.kind === "zone") {
        el("rect", { x: i.x, y: i.y, width: i.w, height: i.h }, g);
        if (i.kind === "zone") {
          el("text", { x: i.x + 8, y: i.y + 22 }, g).textContent = i.name;
        }
      } else if (i.kind === "line") {
        el("line", { x1: i.x, y1: i.y, x2: i.x2, y2: i.y2 }, g);
        el("line", { class: "draw-hit", x1: i.x, y1: i.y, x2: i.x2, y2: i.y2 }, g);
      } else if (i.kind === "text") {
        el("text", { x: i.x, y: i.y }, g).textContent = i.text;
      } else {
        el("circle", { cx: i.x, cy: i.y, r: 16 }, g);
        el("text", { x: i.x, y: i.y + 34, "text-anchor": "middle" }, g).textContent = i.label;
      }
    }
    const s = item(selected);
    if (s && (s.kind === "rect" || s.kind === "zone")) {
      el("rect", { class: "draw-handle", "data-handle": s.key, x: s.x + s.w - 9, y: s.y + s.h - 9, width: 18, height: 18 }, layer);
    }
    renderList();
    renderProps();
  }

  function renderList() {
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    list.replaceChildren();
    if (items.length === 0) {
      const li = document.createElement("li");
      li.textContent = say.empty;
      list.appendChild(li);
    }
    for (const i of items) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.key = i.key;
      b.id = i.kind === "desk" ? `draw-item-desk-${i.label}` : `draw-item-${i.key}`;
      b.setAttribute("aria-pressed", i.key === selected ? "true" : "false");
      b.textContent = describe(i);
      li.appendChild(b);
      list.appendChild(li);
    }
    if (focused) {
      list.querySelector(`button[data-key="${focused}"]`)?.focus();
    }
  }

  function renderProps() {
    const s = item(selected);
    const show = (name, on) => { $(`draw-f-${name}`).hidden = !on; };
    $("draw-none").hidden = Boolean(s);
    show("label", s?.kind === "desk");
    show("text", s?.kind === "text");
    show("name", s?.kind === "zone");
    show("kind", s?.kind === "zone");
    show("department", s?.kind === "zone" && s.zoneKind === "Team");
    if (!s) {
      return;
    }
    const set = (input, value) => { if (document.activeElement !== input) { input.value = value ?? ""; } };
    set(props.label, s.label);
    set(props.text, s.text);
    set(props.name, s.name);
    set(props.kind, s.zoneKind);
    set(props.department, s.departmentId ?? "");
  }

  function select(key) {
    selected = key;
    render();
  }

  // ---- tools -------------------------------------------------------------------------------------------------------
  function setTool(name) {
    tool = name;
    for (const b of editor.querySelectorAll("button[data-tool]")) {
      b.setAttribute("aria-pressed", b.dataset.tool === name ? "true" : "false");
    }
  }

  for (const b of editor.querySelectorAll("button[data-tool]")) {
    b.addEventListener("click", () => setTool(b.dataset.tool));
  }

  function point(e) {
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(canvas.getScreenCTM().inverse());
    return { x: clamp(snap(p.x), 0, W), y: clamp(snap(p.y), 0, H) };
  }

  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) {
      return;
    }
    e.preventDefault();
    canvas.focus();
    canvas.setPointerCapture(e.pointerId);
    const p = point(e);
    if (tool === "select") {
      const handle = e.target.closest("[data-handle]");
      const hit = handle ? null : e.target.closest("[data-key]");
      const key = handle ? handle.dataset.handle : hit?.dataset.key;
      if (!key) {
        select(null);
        return;
      }
      snapshot();
      selected = key;
      drag = { mode: handle ? "resize" : "move", key, start: p, orig: { ...item(key) }, changed: false };
      render();
      return;
    }
    const made = create(p);
    if (made.kind === "rect" || made.kind === "zone" || made.kind === "line") {
      drag = { mode: "create", key: made.key, start: p };
    }
  });

  // A new item of the current tool at a point (the pointer, or the canvas centre from the keyboard).
  function create(p) {
    snapshot();
    let made;
    switch (tool) {
      case "rect":
      case "zone":
        made = { key: newKey(), kind: tool, x: p.x, y: p.y, w: 0, h: 0 };
        if (tool === "zone") {
          Object.assign(made, { id: null, name: say.zoneDefault, zoneKind: "General", departmentId: null });
        }
        break;
      case "line":
        made = { key: newKey(), kind: "line", x: p.x, y: p.y, x2: p.x, y2: p.y };
        break;
      case "text":
        made = { key: newKey(), kind: "text", x: p.x, y: p.y, text: ($("draw-text").value || "").trim() || say.text };
        break;
      default:
        made = { key: newKey(), kind: "desk", id: null, label: nextLabel(), x: p.x, y: p.y };
        break;
    }
    items.push(made);
    select(made.key);
    return made;
  }

  canvas.addEventListener("pointermove", (e) => {
    if (!drag) {
      return;
    }
    const p = point(e);
    const i = item(drag.key);
    const [dx, dy] = [p.x - drag.start.x, p.y - drag.start.y];
    if (drag.mode === "move") {
      drag.changed ||= dx !== 0 || dy !== 0;
      moveTo(i, drag.orig, dx, dy);
    } else if (drag.mode === "resize") {
      drag.changed ||= dx !== 0 || dy !== 0;
      i.w = clamp(drag.orig.w + dx, 1, W - i.x);
      i.h = clamp(drag.orig.h + dy, 1, H - i.y);
    } else if (i.kind === "line") {
      [i.x2, i.y2] = [p.x, p.y];
    } else {
      [i.x, i.y, i.w, i.h] = [Math.min(drag.start.x, p.x), Math.min(drag.start.y, p.y), Math.abs(dx), Math.abs(dy)];
    }
    render();
  });

  function finish() {
    if (!drag) {
      return;
    }
    const i = item(drag.key);
    if (drag.mode === "create" && i) {
      // A click without a drag still makes something visible: a default size from where it was clicked.
      if ((i.kind === "rect" || i.kind === "zone") && (i.w < 2 || i.h < 2)) {
        [i.w, i.h] = [Math.min(120, W - i.x), Math.min(80, H - i.y)];
        if (i.w < 1 || i.h < 1) {
          [i.x, i.y, i.w, i.h] = [Math.max(0, W - 120), Math.max(0, H - 80), Math.min(120, W), Math.min(80, H)];
        }
      }
      if (i.kind === "line" && i.x === i.x2 && i.y === i.y2) {
        i.x2 = i.x + 100 <= W ? i.x + 100 : Math.max(0, i.x - 100);
      }
    } else if (!drag.changed) {
      history.pop();
    }
    drag = null;
    render();
  }

  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);

  function moveTo(i, from, dx, dy) {
    if (i.kind === "line") {
      const ddx = clamp(dx, -Math.min(from.x, from.x2), W - Math.max(from.x, from.x2));
      const ddy = clamp(dy, -Math.min(from.y, from.y2), H - Math.max(from.y, from.y2));
      [i.x, i.y, i.x2, i.y2] = [from.x + ddx, from.y + ddy, from.x2 + ddx, from.y2 + ddy];
    } else if (i.kind === "rect" || i.kind === "zone") {
      [i.x, i.y] = [clamp(from.x + dx, 0, W - i.w), clamp(from.y + dy, 0, H - i.h)];
    } else {
      [i.x, i.y] = [clamp(from.x + dx, 0, W), clamp(from.y + dy, 0, H)];
    }
  }

  function remove() {
    if (!item(selected)) {
      return;
    }
    snapshot();
    items = items.filter((i) => i.key !== selected);
    selected = null;
    render();
  }

  // ---- keyboard ----------------------------------------------------------------------------------------------------
  const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  editor.addEventListener("keydown", (e) => {
    if (e.target.matches("input, select, textarea")) {
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") {
      e.preventDefault();
      undo();
      return;
    }
    if (e.target === canvas && (e.key === "Enter" || e.key === " ") && tool !== "select") {
      e.preventDefault();
      const made = create({ x: snap(W / 2), y: snap(H / 2) });
      drag = { mode: "create", key: made.key, start: { x: made.x, y: made.y } };
      finish();
      status.textContent = describe(item(made.key));
      return;
    }
    const i = item(selected);
    if (!i) {
      return;
    }
    if (e.key === "Delete" || (e.key === "Backspace" && e.target === canvas)) {
      e.preventDefault();
      remove();
    } else if (e.key === "Escape") {
      select(null);
    } else if (arrows[e.key]) {
      e.preventDefault();
      const step = grid() || 1;
      const [dx, dy] = arrows[e.key].map((v) => v * step);
      snapshot();
      if (e.shiftKey && (i.kind === "rect" || i.kind === "zone")) {
        i.w = clamp(i.w + dx, 1, W - i.x);
        i.h = clamp(i.h + dy, 1, H - i.y);
      } else {
        moveTo(i, { ...i }, dx, dy);
      }
      render();
      status.textContent = describe(i);
    }
  });

  list.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-key]");
    if (b) {
      select(b.dataset.key);
    }
  });

  // ---- properties --------------------------------------------------------------------------------------------------
  function bind(input, field, parse = (v) => v) {
    input.addEventListener("focus", () => { if (item(selected)) { snapshot(); } });
    input.addEventListener("input", () => {
      const i = item(selected);
      if (i) {
        i[field] = parse(input.value);
        render();
      }
    });
  }

  bind(props.label, "label", (v) => v.trim());
  bind(props.text, "text");
  bind(props.name, "name");
  bind(props.kind, "zoneKind");
  bind(props.department, "departmentId", (v) => (v ? Number(v) : null));
  props.kind.addEventListener("change", () => renderProps());

  // ---- buttons -----------------------------------------------------------------------------------------------------
  $("draw-delete").addEventListener("click", remove);
  $("draw-undo").addEventListener("click", undo);
  $("draw-save").addEventListener("click", save);

  async function save() {
    problem.hidden = true;
    status.textContent = say.saving;
    let response;
    try {
      response = await fetch(api, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body()),
      });
    } catch {
      status.textContent = say.failed;
      return;
    }
    if (response.ok) {
      apply(await response.json());
      status.textContent = say.saved;
      return;
    }
    const p = await response.json().catch(() => null);
    status.textContent = say.failed;
    problem.textContent = p?.detail || p?.title || say.failed;
    problem.hidden = false;
    // Select what the server named ("desks[3].label"): the n-th desk, zone or shape.
    const m = /^(shapes|desks|zones)\[(\d+)\]/.exec(p?.field || "");
    if (m) {
      const kinds = { shapes: ["rect", "line", "text"], desks: ["desk"], zones: ["zone"] }[m[1]];
      const named = items.filter((i) => kinds.includes(i.kind))[Number(m[2])];
      if (named) {
        select(named.key);
      }
    }
  }

  async function load() {
    status.textContent = say.loading;
    const response = await fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      status.textContent = say.failed;
      return;
    }
    apply(await response.json());
    status.textContent = "";
  }

  load();
}
