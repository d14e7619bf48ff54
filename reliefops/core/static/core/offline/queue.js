/* The offline queue of a field page (docs/offline.md).
 *
 * Every record a page's form makes goes through this queue, online or not: the form's
 * submit is intercepted, the page's adapter builds the submission
 * {id: client UUID, kind, data}, it is stored in IndexedDB (one store: id, kind, data,
 * created, state, error, plus who recorded it and a label), the "waiting to send" panel
 * lists it, and the queue is sent to POST /api/v1/submissions/ one record at a time — on
 * load, when the browser is back online, after each new record and every 30 s. A record
 * the server accepted (201 applied, 200 the same record again) leaves the store; 202 (the
 * server keeps it until what it refers to arrives) stays listed as "sent, waiting on the
 * server" and is never sent again; 400/403/404 is refused (shown with the server's
 * message, kept until the user discards it); 409 (the id already names another record) is
 * a fault, shown as such; 401 (the session ended) waits for a new login; no network, a
 * timeout or a 5xx keep it queued for the next try. When the queue has sent something and
 * nothing is left to send, the adapter refreshes the page's records from the server.
 *
 * Configuration: the JSON of <script id="offline-config"> (core/partials/offline.html,
 * reliefops.core.offline.offline_context): API addresses, the user, the server's UTC
 * offset and every text already translated. An adapter (the round page, the road page)
 * calls ReliefOpsOffline.register({match(form), build(form), mark(records), applied(record),
 * refresh()}). Without IndexedDB nothing is intercepted and the server forms work as they
 * do without JavaScript.
 */
(function () {
  "use strict";
  const node = document.getElementById("offline-config");
  if (!node) { return; }
  const CFG = JSON.parse(node.textContent);
  const S = CFG.strings;
  const STATES_TO_SEND = ["queued", "login"];
  const KEEP_ACCEPTED_MS = 7 * 24 * 3600 * 1000;
  const TIMEOUT_MS = 20000;
  const adapters = [];
  const listeners = [];
  let db = null;
  let halted = false; // logout: nothing more is sent, refreshed or reopened
  let flushing = null;
  let lastProblem = null;
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(CFG.database) : null;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (m, key) => (key in values ? values[key] : m));
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // ----------------------------------------------------------------- time, server zone
  const offsetMinutes = (() => {
    const m = /^([+-])(\d\d):(\d\d)$/.exec(CFG.utc_offset || "+00:00");
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  })();

  function serverParts(date) {
    const shifted = new Date(date.getTime() + offsetMinutes * 60000);
    return shifted.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS in the server's zone
  }

  /** ``date`` (default now) as ISO 8601 in the server's zone, with its offset. */
  function isoNow(date) {
    return serverParts(date || new Date()) + CFG.utc_offset;
  }

  /** The server's date today plus ``days``, YYYY-MM-DD. */
  function serverDate(days) {
    return serverParts(new Date(Date.now() + (days || 0) * 86400000)).slice(0, 10);
  }

  /** A datetime-local value (the server's zone, as the forms show it) with its offset. */
  function localInput(value) {
    if (!value) { return null; }
    return (value.length === 16 ? `${value}:00` : value) + CFG.utc_offset;
  }

  function clock(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? "" : serverParts(d).slice(11, 16);
  }

  // ----------------------------------------------------------------------- storage
  function open() {
    if (halted) { return Promise.reject(new Error("halted")); }
    if (db) { return Promise.resolve(db); }
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(CFG.database, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(CFG.store, { keyPath: "id" });
        store.createIndex("created", "created");
      };
      request.onsuccess = () => {
        db = request.result;
        db.onversionchange = () => { db.close(); db = null; }; // logout deletes it
        resolve(db);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("blocked"));
    });
  }

  function tx(mode, work) {
    return open().then((database) => new Promise((resolve, reject) => {
      const t = database.transaction(CFG.store, mode);
      const result = work(t.objectStore(CFG.store));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    }));
  }

  function all() {
    return tx("readonly", (store) => store.index("created").getAll());
  }

  function put(record) {
    return tx("readwrite", (store) => store.put(record)).then(changed);
  }

  function remove(id) {
    return tx("readwrite", (store) => store.delete(id)).then(changed);
  }

  function changed() {
    if (channel) { channel.postMessage("changed"); }
    return render();
  }

  function mine(record) {
    return record.user === CFG.user;
  }

  function sendable(record) {
    return mine(record) && STATES_TO_SEND.indexOf(record.state) >= 0;
  }

  // ------------------------------------------------------------------------ sending
  function csrfToken() {
    const name = CFG.csrf_cookie || "csrftoken";
    const found = document.cookie.split(";").map((c) => c.trim())
      .find((c) => c.indexOf(`${name}=`) === 0);
    return found ? decodeURIComponent(found.slice(name.length + 1)) : CFG.csrf;
  }

  async function post(record) {
    const controller = "AbortController" in window ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null;
    try {
      const response = await fetch(CFG.api, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify({ id: record.id, kind: record.kind, data: record.data, source: "offline" }),
        signal: controller ? controller.signal : undefined,
      });
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      return { status: response.status, body };
    } catch (error) {
      return { status: 0, body: null };
    } finally {
      if (timer) { clearTimeout(timer); }
    }
  }

  function errorOf(answer) {
    const error = answer.body && answer.body.error;
    if (error) { return { status: answer.status, code: error.code || "", message: error.message || "", details: error.details || {} }; }
    const detail = answer.body && answer.body.detail;
    return { status: answer.status, code: "", message: detail ? String(detail) : `HTTP ${answer.status}`, details: {} };
  }

  function loginNeeded(answer) {
    if (answer.status === 401) { return true; }
    if (answer.status !== 403) { return false; }
    const e = errorOf(answer);
    return e.code === "not_authenticated" || e.code === "authentication_failed" ||
      /^CSRF/i.test(e.message);
  }

  /** Send one record; true when the next one may follow (the network works). */
  async function sendOne(record) {
    const answer = await post(record);
    const status = answer.status;
    if (status === 200 || status === 201) {
      await remove(record.id);
      return "sent";
    }
    record.attempts = (record.attempts || 0) + 1;
    record.tried = new Date().toISOString();
    if (status === 202) {
      record.state = "accepted";
      record.error = answer.body && answer.body.reason ? { status, message: String(answer.body.reason) } : null;
      await put(record);
      return "sent";
    }
    const transient = status === 409 && errorOf(answer).code === "retry"; // a deadlock: again
    if (status === 0 || status >= 500 || status === 429 || status === 408 || transient) {
      record.state = "queued";
      record.error = { status, reason: status === 0 ? "network" : "server" };
      lastProblem = record.error.reason;
      await put(record);
      return "stop";
    }
    if (loginNeeded(answer)) {
      record.state = "login";
      record.error = errorOf(answer);
      await put(record);
      return "stop";
    }
    record.error = errorOf(answer);
    // 409 is a fault only when the id names another record; a service's 409 (a state
    // conflict: the round was cancelled meanwhile) is a refusal like a 400.
    record.state = status === 409 && record.error.code === "submission_id_reused" ? "conflict" : "refused";
    await put(record);
    return "next";
  }

  /** A record the server keeps (202): ask what became of it. True when it is settled. */
  async function poll(record) {
    let answer;
    try {
      const response = await fetch(`${CFG.api}${record.id}/`, {
        credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
      });
      answer = { status: response.status, body: await response.json().catch(() => null) };
    } catch (error) {
      return "stop";
    }
    const body = answer.body || {};
    if (answer.status === 200 && body.status === "applied") {
      await remove(record.id);
      return "sent";
    }
    if (answer.status === 200 && body.status === "refused") {
      const error = body.error && body.error.error ? body.error.error : body.error || {};
      record.state = "refused";
      record.error = { status: 400, code: error.code || "", message: error.message || body.reason || S.refused, details: error.details || {} };
      await put(record);
      return "next";
    }
    if (answer.status === 200 && body.reason && (!record.error || record.error.message !== body.reason)) {
      record.error = { status: 202, message: String(body.reason) };
      await put(record);
    }
    return answer.status >= 500 || answer.status === 0 ? "stop" : "next";
  }

  async function flushNow() {
    const records = (await all()).filter(sendable);
    const messages = [];
    let sent = 0;
    let stopped = false;
    for (const record of records) {
      const outcome = await sendOne(record);
      if (outcome === "sent") {
        sent += 1;
        lastProblem = null;
        if (record.state !== "accepted") { messages.push(...sentMessages(record)); }
      }
      if (outcome === "stop") { stopped = true; break; }
    }
    if (!stopped && records.length) { lastProblem = null; }
    if (!stopped) {
      for (const record of (await all()).filter((r) => mine(r) && r.state === "accepted")) {
        const outcome = await poll(record);
        if (outcome === "sent") { sent += 1; messages.push(...sentMessages(record)); }
        if (outcome === "stop") { break; }
      }
    }
    const left = (await all()).filter(sendable);
    if (sent && !left.length && !halted) {
      for (const adapter of adapters) {
        if (adapter.refresh) { await adapter.refresh(); }
      }
      await prune();
      showMessages(messages);
    }
    await render();
    return sent;
  }

  function sentMessages(record) {
    return adapters.map((a) => (a.sent ? a.sent(record) : null)).filter(Boolean);
  }

  /** Success lines in the layout's message list, the way a page shows Django's. */
  function showMessages(texts) {
    if (!texts.length) { return; }
    let list = document.querySelector("ul.messages.offline-messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages offline-messages";
      list.setAttribute("role", "status");
      const main = document.getElementById("content");
      if (!main) { return; }
      main.prepend(list);
    }
    list.replaceChildren(...texts.map((text) => el("li", { class: "message success" }, text)));
  }

  function clearMessages() {
    document.querySelectorAll("#content > ul.messages").forEach((list) => list.remove());
  }

  /** Send what waits (once at a time, across this browser's tabs when it can tell). */
  function send() {
    if (halted) { return Promise.resolve(0); }
    if (flushing) { return flushing; }
    const run = () => flushNow();
    const locked = navigator.locks && navigator.locks.request
      ? navigator.locks.request(`${CFG.database}-send`, run)
      : run();
    flushing = Promise.resolve(locked).catch(() => 0).then((sent) => {
      flushing = null;
      retrySoon();
      return render().then(() => sent);
    });
    render();
    return flushing;
  }

  // The browser says it is online but a try found no network (the radio is still coming
  // up, a captive portal): try again after 2, 4, 8, 16 s, then the 30 s round takes over.
  let backoff = 0;
  let retryTimer = null;
  function retrySoon() {
    if (lastProblem !== "network" || navigator.onLine === false) { backoff = 0; return; }
    if (retryTimer || backoff >= 16000) { return; }
    backoff = backoff ? backoff * 2 : 2000;
    retryTimer = setTimeout(() => { retryTimer = null; send(); }, backoff);
  }

  async function prune() {
    const now = Date.now();
    for (const record of await all()) {
      if (record.state !== "accepted") { continue; }
      const old = now - new Date(record.created).getTime() > KEEP_ACCEPTED_MS;
      const applied = adapters.some((a) => a.applied && a.applied(record));
      if (old || applied) { await tx("readwrite", (store) => store.delete(record.id)); }
    }
  }

  // ------------------------------------------------------------------------ the panel
  const panel = document.getElementById("offline-panel");

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function stateText(record) {
    if (!mine(record)) { return format(S.other_user, { user: record.username || "?" }); }
    if (record.state === "queued") {
      if (record.error && record.error.reason) {
        return format(S.retry, { reason: S[record.error.reason] || record.error.reason });
      }
      return S.queued;
    }
    return S[record.state] || record.state;
  }

  function renderRecord(record) {
    const li = el("li", { class: `offline-record state-${record.state}`, "data-id": record.id, "data-kind": record.kind });
    const head = el("div", { class: "offline-record-head" });
    head.appendChild(el("strong", {}, record.label || CFG.labels[record.kind] || record.kind));
    head.appendChild(el("span", { class: "muted small" }, format(S.recorded_at, { time: clock(record.created) })));
    li.appendChild(head);
    li.appendChild(el("p", { class: "offline-state small" }, stateText(record)));
    const error = record.error;
    if (error && error.message && ["refused", "conflict", "accepted"].indexOf(record.state) >= 0) {
      const p = el("p", { class: "offline-error small", role: record.state === "accepted" ? "note" : "alert" }, error.message);
      li.appendChild(p);
      const fields = (error.details && error.details.fields) || {};
      const lines = [];
      Object.keys(fields).forEach((column) => {
        [].concat(fields[column]).forEach((text) => lines.push(`${column}: ${text}`));
      });
      if (lines.length > 1 || (lines.length === 1 && lines[0] !== error.message)) {
        lines.forEach((text) => li.appendChild(el("p", { class: "offline-detail muted small" }, text)));
      }
    }
    if (record.state === "login" && mine(record)) {
      li.appendChild(el("a", { href: CFG.login, class: "offline-login" }, S.login_link));
    }
    if (record.state === "refused" || record.state === "conflict" || record.state === "accepted") {
      const button = el("button", { type: "button", class: "secondary offline-discard", "data-discard": record.id }, S.discard);
      li.appendChild(button);
    }
    return li;
  }

  async function render() {
    let records = [];
    try { records = await all(); } catch (e) { records = []; }
    const waiting = records.filter((r) => STATES_TO_SEND.indexOf(r.state) >= 0);
    adapters.forEach((a) => { if (a.mark) { a.mark(records); } });
    listeners.forEach((fn) => fn(records));
    if (!panel) { return records; }
    const online = navigator.onLine !== false && lastProblem !== "network";
    panel.hidden = online && !records.length;
    panel.classList.toggle("is-offline", !online);
    const count = panel.querySelector("#offline-count");
    count.textContent = String(waiting.length);
    count.setAttribute("data-count", String(waiting.length));
    const status = panel.querySelector(".offline-status");
    status.textContent = online ? S.online : `${S.offline} ${format(S.saved_at, { time: clock(CFG.rendered_at) })}`;
    const list = panel.querySelector(".offline-list");
    list.replaceChildren(...records.map(renderRecord));
    const empty = panel.querySelector(".offline-empty");
    empty.hidden = records.length > 0;
    const button = panel.querySelector(".offline-send");
    button.hidden = !records.some(sendable);
    button.disabled = Boolean(flushing);
    button.textContent = flushing ? S.sending : S.send_now;
    return records;
  }

  if (panel) {
    panel.addEventListener("click", async (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target) { return; }
      if (target.closest(".offline-send")) {
        event.preventDefault();
        await send();
        return;
      }
      const discard = target.closest("[data-discard]");
      if (discard && window.confirm(S.discard_confirm)) {
        await remove(discard.getAttribute("data-discard"));
      }
    });
  }

  // -------------------------------------------------------------- forms → the queue
  function adapterFor(form) {
    return adapters.find((a) => a.match(form));
  }

  async function enqueue(kind, data, meta) {
    const record = {
      id: (meta && meta.id) || uuid(),
      kind,
      data,
      created: new Date().toISOString(),
      state: "queued",
      error: null,
      attempts: 0,
      user: CFG.user,
      username: CFG.username,
      page: CFG.page,
      label: (meta && meta.label) || CFG.labels[kind] || kind,
      target: (meta && meta.target) || null,
    };
    await put(record);
    return record;
  }

  function needsNetwork(event, form) {
    event.preventDefault();
    event.stopImmediatePropagation();
    let note = form.querySelector(".offline-needs-network");
    if (!note) {
      note = el("p", { class: "notice warning offline-needs-network", role: "alert" }, S.needs_network);
      form.prepend(note);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !db) { return; }
    const adapter = adapterFor(form);
    const offline = navigator.onLine === false;
    const inPage = form.closest("#content") && (form.method || "").toLowerCase() === "post";
    if (!adapter) {
      if (offline && inPage && S.needs_network) { needsNetwork(event, form); }
      return;
    }
    const built = adapter.build(form, event.submitter);
    if (!built) { // the adapter lets the server form go (e.g. a photo, online)
      if (offline && S.needs_network) { needsNetwork(event, form); }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation(); // HTMX's own handler on the form does not run
    if (built.invalid) { return; }
    clearMessages();
    enqueue(built.kind, built.data, built).then((record) => {
      if (adapter.queued) { adapter.queued(record, form); }
      return send();
    });
  }, true);

  // --------------------------------------------------------------------- start-up
  /** Tell the active worker this page is shown (it keeps it, and drops another user's). */
  function announce(worker) {
    return new Promise((resolve) => {
      if (!worker) { resolve(); return; }
      const port = new MessageChannel();
      port.port1.onmessage = () => resolve();
      worker.postMessage({ type: "page", user: CFG.user, url: CFG.page }, [port.port2]);
      setTimeout(resolve, 10000);
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
    navigator.serviceWorker.register(CFG.worker, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => announce(registration.active))
      .then(() => { document.documentElement.setAttribute("data-offline-ready", "1"); })
      .catch(() => {});
    // A new version took over (a release): it keeps this page in its own cache.
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      announce(navigator.serviceWorker.controller);
    });
  }

  const api = {
    config: CFG,
    strings: S,
    uuid,
    isoNow,
    serverDate,
    localInput,
    format,
    enqueue,
    send,
    records: all,
    render,
    register(adapter) {
      adapters.push(adapter);
      if (db) { render(); }
    },
    onChange(fn) { listeners.push(fn); },
    stop() {
      halted = true;
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      if (db) { db.close(); db = null; }
    },
  };
  window.ReliefOpsOffline = api;

  if (!("indexedDB" in window)) {
    if (panel) { panel.querySelector(".offline-status").textContent = S.no_storage; panel.hidden = false; }
    return;
  }
  open().then(() => {
    document.documentElement.setAttribute("data-offline-queue", "1");
    return prune();
  }).then(() => render()).then(() => send()).catch(() => {
    if (panel) { panel.querySelector(".offline-status").textContent = S.no_storage; panel.hidden = false; }
  });
  registerWorker();
  window.addEventListener("online", () => { lastProblem = null; backoff = 0; render(); send(); });
  window.addEventListener("offline", () => render());
  document.addEventListener("visibilitychange", () => { if (!document.hidden) { send(); } });
  setInterval(() => { send(); }, (CFG.every || 30) * 1000);
  if (channel) { channel.onmessage = () => render(); }
})();
