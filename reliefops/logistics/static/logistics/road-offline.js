/* The road page offline (docs/offline.md): the passage form and each stop's delivery
 * form become `passages` / `deliveries` submissions in the page's offline queue
 * (core/offline/queue.js) instead of a POST (formats: docs/field-kinds.md).
 *
 * The forms name records by id, submissions by code: <script id="road-offline-data">
 * gives the convoy's code, the crossing points' and vehicles' codes and each line's item,
 * vehicle, stop and quantity on board in loading order. A submission carries quantities
 * per item code, and the server spreads an item's quantity over its lines in loading
 * order; when the figures typed per line say something else (two lines of one item held
 * or received differently), the form goes to the server as it is while there is a
 * network, and offline the item's totals are sent. A delivery with a photo goes to the
 * server form online (submissions carry no files); offline it is recorded without the
 * photo once the user agrees.
 */
(function () {
  "use strict";
  const Q = window.ReliefOpsOffline;
  const root = document.querySelector(".road[data-convoy]");
  const dataNode = document.getElementById("road-offline-data");
  if (!Q || !root || !dataNode) { return; }
  const S = Q.strings;
  const DATA = JSON.parse(dataNode.textContent);
  const CONVOY = DATA.convoy;

  // Quantities as integers of thousandths (three decimals, like the forms), no float drift.
  function milli(value) {
    const text = String(value === undefined || value === null ? "" : value).trim().replace(",", ".");
    if (!text) { return 0; }
    const n = Number(text);
    return Number.isFinite(n) ? Math.round(n * 1000) : NaN;
  }

  function decimal(m) {
    const sign = m < 0 ? "-" : "";
    const a = Math.abs(m);
    const frac = String(a % 1000).padStart(3, "0").replace(/0+$/, "");
    return `${sign}${Math.floor(a / 1000)}${frac ? `.${frac}` : ""}`;
  }

  function field(form, name) {
    return form.elements.namedItem(name);
  }

  function value(form, name) {
    const el = field(form, name);
    if (!el) { return ""; }
    if (el instanceof RadioNodeList) { return el.value; }
    if (el.type === "checkbox") { return el.checked; }
    return el.value.trim();
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error.offline-error-js").forEach((e) => e.remove());
    form.querySelectorAll(".field.has-error.offline-has-error").forEach((e) => e.classList.remove("has-error", "offline-has-error"));
  }

  function fieldError(form, name, message) {
    const el = field(form, name);
    const input = el instanceof RadioNodeList ? el[0] : el;
    const box = input && (input.closest(".field") || input.closest("fieldset"));
    if (!box) { return; }
    box.classList.add("has-error", "offline-has-error");
    const span = document.createElement("span");
    span.className = "field-error offline-error-js";
    span.textContent = message;
    box.appendChild(span);
  }

  function required(form, names) {
    let ok = true;
    names.forEach((name) => {
      if (!value(form, name)) { fieldError(form, name, S.required); ok = false; }
    });
    return ok;
  }

  /** The server's spread of ``total`` over ``lines`` in order (as
   * reliefops.logistics.exchange.common.spread): each line up to what is on board less
   * ``taken``, the rest on the last line. Thousandths per line. */
  function spread(lines, total, taken) {
    let left = total;
    const parts = lines.map((line, i) => {
      const room = Math.max(milli(line.on_board) - (taken ? taken[i] : 0), 0);
      const part = Math.min(left, room);
      left -= part;
      return part;
    });
    if (left > 0 && parts.length) { parts[parts.length - 1] += left; }
    return parts;
  }

  function same(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  function byItem(lines) {
    const groups = new Map();
    lines.forEach((line) => {
      if (!groups.has(line.item)) { groups.set(line.item, []); }
      groups.get(line.item).push(line);
    });
    return groups;
  }

  // ------------------------------------------------------------------------ passage
  function buildPassage(form) {
    const p = "passage-";
    clearErrors(form);
    if (!required(form, [`${p}crossing_point`, `${p}outcome`, `${p}time_in`])) { return { invalid: true }; }
    const carrier = value(form, `${p}carrier`);
    const outcome = value(form, `${p}outcome`);
    const data = {
      convoy: CONVOY,
      tracking_number: carrier ? DATA.carriers[carrier] || "" : "",
      crossing_point: DATA.crossing_points[value(form, `${p}crossing_point`)] || "",
      direction: value(form, `${p}direction`) || "inbound",
      time_in: Q.localInput(value(form, `${p}time_in`)),
      time_out: Q.localInput(value(form, `${p}time_out`)),
      outcome,
      delay_minutes: value(form, `${p}delay_minutes`) === "" ? null : Number(value(form, `${p}delay_minutes`)),
      inspected: Boolean(value(form, `${p}inspected`)),
      notes: value(form, `${p}notes`),
    };
    let exact = true;
    if (outcome === form.querySelector("[data-held-rows]")?.getAttribute("data-held-rows")) {
      const inScope = DATA.lines.filter((l) => milli(l.on_board) > 0 && (!carrier || l.carrier === carrier));
      const held = [];
      byItem(inScope).forEach((lines, item) => {
        const typed = lines.map((l) => milli(value(form, `${p}held_${l.id}`)));
        if (typed.some(Number.isNaN)) { exact = false; return; }
        const total = typed.reduce((a, b) => a + b, 0);
        if (total > 0) { held.push(`${item}=${decimal(total)}`); }
        if (!same(spread(lines, total), typed)) { exact = false; }
      });
      data.held_items = held;
    }
    if (!exact && navigator.onLine !== false) { return null; } // the server form, per line
    const point = field(form, `${p}crossing_point`);
    // The option reads "name · place": the name, and the time in, say which passage it is.
    const option = point && point.selectedOptions[0] ? point.selectedOptions[0].textContent : "";
    const pointName = option.split(" · ")[0].trim() || data.crossing_point;
    const timeIn = value(form, `${p}time_in`).slice(11, 16);
    const id = Q.uuid();
    return {
      kind: "passages",
      id,
      data,
      label: [Q.config.labels.passages, pointName, timeIn].filter(Boolean).join(" · "),
      target: { convoy: CONVOY, form: form.id },
      reset: true,
    };
  }

  // ----------------------------------------------------------------------- delivery
  function buildDelivery(form) {
    const stop = Number(value(form, "stop"));
    const p = `stop${stop}-`;
    clearErrors(form);
    if (!required(form, [`${p}receiver_name`])) { return { invalid: true }; }
    const photo = field(form, `${p}photo`);
    if (photo && photo.files && photo.files.length) {
      if (navigator.onLine !== false) { return null; } // the server form uploads it
      if (!window.confirm(S.photo_offline)) { return { invalid: true }; }
    }
    const lines = DATA.lines.filter((l) => l.stop === stop && milli(l.on_board) > 0);
    const receipts = [];
    let exact = true;
    let reasonsOk = true;
    byItem(lines).forEach((group, item) => {
      const part = (name) => group.map((l) => milli(value(form, `${p}line_${l.id}_${name}`)));
      const reason = (name) => {
        const reasons = new Set(group.map((l) => value(form, `${p}line_${l.id}_${name}`)).filter(Boolean));
        if (reasons.size > 1) { reasonsOk = false; }
        return reasons.size ? Array.from(reasons)[0] : "";
      };
      const delivered = part("delivered");
      const short = part("short");
      const damaged = part("damaged");
      const sum = (xs) => xs.reduce((a, b) => a + b, 0);
      if ([delivered, short, damaged].some((xs) => xs.some(Number.isNaN))) { exact = false; }
      // The server spreads received, then short, then damaged over the item's lines.
      const taken = group.map(() => 0);
      [delivered, short, damaged].forEach((typed) => {
        const parts = spread(group, sum(typed), taken);
        if (!same(parts, typed)) { exact = false; }
        parts.forEach((x, i) => { taken[i] += x; });
      });
      const shortReason = reason("short_reason");
      const damageReason = reason("damage_reason");
      let text = `${item}=${decimal(sum(delivered))}`;
      if (sum(damaged)) {
        text += `:${decimal(sum(short))}:${shortReason}:${decimal(sum(damaged))}:${damageReason}`;
      } else if (sum(short)) {
        text += `:${decimal(sum(short))}:${shortReason}`;
      }
      receipts.push(text);
    });
    if ((!exact || !reasonsOk) && navigator.onLine !== false) { return null; } // per line
    if (!reasonsOk) {
      const first = form.querySelector(".line-box");
      if (first) { fieldError(form, `${p}line_${first.dataset.line}_short_reason`, S.one_reason); }
      return { invalid: true };
    }
    const id = Q.uuid();
    const heading = form.closest("section") && form.closest("section").querySelector("h2");
    return {
      kind: "deliveries",
      id,
      data: {
        convoy: CONVOY,
        stop,
        receiver_name: value(form, `${p}receiver_name`),
        receiver_role: value(form, `${p}receiver_role`),
        received_at: Q.localInput(value(form, `${p}received_at`)),
        note: value(form, `${p}note`),
        receipts,
      },
      label: heading ? heading.textContent.trim() : `${Q.config.labels.deliveries} · ${Q.format(S.stop, { n: stop })}`,
      target: { convoy: CONVOY, stop, form: form.id },
    };
  }

  // --------------------------------------------------------------------- the marks
  function mark(records) {
    const mine = records.filter((r) => r.target && r.target.convoy === CONVOY);
    root.querySelectorAll("form.delivery-form, #passage-form").forEach((form) => {
      const section = form.closest("section");
      const kept = mine.filter((r) => r.target.form === form.id)
        .sort((a, b) => (a.created < b.created ? -1 : 1));
      let list = section.querySelector(".offline-marks");
      if (!kept.length) {
        if (list) { list.remove(); }
        if (form.classList.contains("delivery-form")) { form.hidden = false; }
        return;
      }
      if (!list) {
        list = document.createElement("div");
        list.className = "offline-marks";
        list.setAttribute("role", "status");
        section.querySelector("h2").after(list);
      }
      list.replaceChildren(...kept.map((r) => {
        const refused = r.state === "refused" || r.state === "conflict";
        const note = document.createElement("p");
        note.className = `offline-mark${r.state === "accepted" ? " is-accepted" : ""}${refused ? " is-refused" : ""}`;
        const what = r.kind === "passages" ? `${r.label}: ` : "";
        note.textContent = what + (refused
          ? Q.format(S.kept_refused, { error: (r.error && r.error.message) || S.refused })
          : (r.state === "accepted" ? S.kept_sent : S.kept));
        return note;
      }));
      if (form.classList.contains("delivery-form")) {
        const latest = kept[kept.length - 1];
        form.hidden = !(latest.state === "refused" || latest.state === "conflict");
      }
    });
  }

  function applied(record) {
    if (!record.target || record.target.convoy !== CONVOY) { return false; }
    if (record.kind === "deliveries") { return !document.getElementById(record.target.form); }
    return false;
  }

  function sent(record) {
    if (record.kind === "passages") { return S.passage_sent; }
    if (record.kind === "deliveries") { return Q.format(S.delivery_sent, { n: record.data.stop }); }
    return null;
  }

  function replace(current, fresh) {
    const node = document.importNode(fresh, true);
    current.replaceWith(node);
    if (window.htmx) { window.htmx.process(node); }
    return node;
  }

  async function refresh() {
    let doc;
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok || response.redirected) { return; }
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (error) {
      return;
    }
    ["convoy-status"].forEach((id) => {
      const here = document.getElementById(id);
      const there = doc.getElementById(id);
      if (here && there) { replace(here, there); }
    });
    const jump = root.querySelector(".road-jump");
    const freshJump = doc.querySelector(".road-jump");
    if (jump && freshJump) { replace(jump, freshJump); }
    const buttons = document.getElementById("road-buttons");
    const freshButtons = doc.getElementById("road-buttons");
    if (buttons && freshButtons) {
      replace(buttons, freshButtons);
    } else if (buttons) {
      buttons.remove();
    } else if (freshButtons) {
      const after = root.querySelector(".route-warnings") || document.getElementById("offline-panel");
      if (after) { after.after(document.importNode(freshButtons, true)); }
    }
    // A stop the server shows delivered leaves; so does the passage form once the
    // workflow no longer offers it. Forms still there keep what the user typed.
    // (Sections are matched by their form: the first stop's section is always #deliver.)
    root.querySelectorAll("section.road-stop, section#passage").forEach((section) => {
      const form = section.querySelector("form");
      const there = form && doc.getElementById(form.id);
      if (!there) { section.remove(); return; }
      section.id = there.closest("section").id;
    });
    const empty = doc.querySelector(".road > p.muted.card");
    if (empty && !root.querySelector(".road > p.muted.card")) { root.appendChild(document.importNode(empty, true)); }
  }

  function reset(form) {
    form.reset();
    const rows = form.querySelector("[data-held-rows]");
    if (rows) { form.dispatchEvent(new Event("change")); }
  }

  Q.register({
    match: (form) => root.contains(form) && (form.id === "passage-form" || form.classList.contains("delivery-form")),
    build: (form) => (form.id === "passage-form" ? buildPassage(form) : buildDelivery(form)),
    queued: (record, form) => { if (record.kind === "passages") { reset(form); } },
    mark,
    applied,
    sent,
    refresh,
  });
})();
