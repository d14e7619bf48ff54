/* The round page offline (docs/offline.md): a stop's visit form becomes a `visits`
 * submission in the page's offline queue (core/offline/queue.js) instead of a POST.
 *
 * The submission's data are the `visits` export columns: id (the client UUID), person,
 * team, round, sequence, visited_at (now, ISO with the server's offset), outcome,
 * services, follow_up_due (the server's date today + the days chosen, or null). A stop
 * with a record on this phone shows it in place of its form; a refused record brings the
 * form back with the server's message. When the queue has sent everything, the stops the
 * server now shows as done replace the page's, with the progress line and the steps.
 *
 * The round's start and completion buttons become `rounds` records ({round, status}:
 * in_progress, completed); the server takes the steps in order and treats a status the
 * round already reached as unchanged. Cancelling (it needs a reason) stays a server form.
 */
(function () {
  "use strict";
  const Q = window.ReliefOpsOffline;
  const root = document.querySelector(".round[data-round]");
  if (!Q || !root) { return; }
  const S = Q.strings;
  const ROUND = root.dataset.round;

  function labelOf(input) {
    const label = input && input.closest("label");
    return label ? label.textContent.trim() : "";
  }

  function summary(form) {
    const parts = [labelOf(form.querySelector("input[name=outcome]:checked"))];
    form.querySelectorAll("input[name=services]:checked").forEach((i) => parts.push(labelOf(i)));
    const follow = form.querySelector("input[name=follow_up_days]:checked");
    if (follow && Number(follow.value)) { parts.push(labelOf(follow)); }
    return parts.filter(Boolean).join(" · ");
  }

  function build(form) {
    const stop = form.closest("li.stop");
    const outcome = form.querySelector("input[name=outcome]:checked");
    if (!stop || !stop.dataset.person || !outcome) { return null; } // the server form decides
    const sequence = Number(stop.dataset.sequence);
    const follow = form.querySelector("input[name=follow_up_days]:checked");
    const days = follow ? Number(follow.value) || 0 : 0;
    const id = Q.uuid();
    return {
      kind: "visits",
      id,
      data: {
        id,
        person: stop.dataset.person,
        team: root.dataset.team,
        round: ROUND,
        sequence,
        visited_at: Q.isoNow(),
        outcome: outcome.value,
        services: Array.from(form.querySelectorAll("input[name=services]:checked"), (i) => i.value),
        follow_up_due: days ? Q.serverDate(days) : null,
      },
      label: `${Q.config.labels.visits} · ${Q.format(S.stop, { n: sequence })} · ${stop.dataset.person}`,
      target: { round: ROUND, sequence, summary: summary(form) },
    };
  }

  // A round's step (start, complete) becomes a `rounds` record: the status it reaches.
  const STEP_STATUS = { start: "in_progress", complete: "completed" };

  function stepOf(form) {
    const button = form.querySelector("button[data-step]");
    return button && STEP_STATUS[button.dataset.step] ? button : null;
  }

  function buildStep(form) {
    const button = stepOf(form);
    const id = Q.uuid();
    return {
      kind: "rounds",
      id,
      data: { round: ROUND, status: STEP_STATUS[button.dataset.step] },
      label: `${button.textContent.trim()} · ${ROUND}`,
      target: { round: ROUND, step: button.dataset.step },
    };
  }

  function markSteps(records) {
    const steps = document.getElementById("round-steps");
    if (!steps) { return; }
    const kept = records.filter((r) => r.kind === "rounds" && r.target && r.target.round === ROUND);
    steps.querySelectorAll("form.round-step").forEach((form) => {
      const button = stepOf(form);
      if (!button) { return; }
      const record = kept.filter((r) => r.target.step === button.dataset.step).pop();
      let note = steps.querySelector(`.offline-mark[data-step="${button.dataset.step}"]`);
      const refused = record && (record.state === "refused" || record.state === "conflict");
      if (!record) {
        if (note) { note.remove(); }
        form.hidden = false;
        return;
      }
      if (!note) {
        note = document.createElement("p");
        note.setAttribute("role", "status");
        note.dataset.step = button.dataset.step;
        form.after(note);
      }
      note.className = `offline-mark${record.state === "accepted" ? " is-accepted" : ""}${refused ? " is-refused" : ""}`;
      const what = button.textContent.trim();
      note.textContent = refused
        ? Q.format(S.kept_refused, { error: (record.error && record.error.message) || S.refused })
        : Q.format(record.state === "accepted" ? S.kept_sent : S.kept, { what });
      form.hidden = !refused;
    });
  }

  function latestByStop(records) {
    const found = {};
    records.forEach((r) => {
      if (r.kind !== "visits" || !r.target || r.target.round !== ROUND) { return; }
      const seen = found[r.target.sequence];
      if (!seen || seen.created < r.created) { found[r.target.sequence] = r; }
    });
    return found;
  }

  function mark(records) {
    markSteps(records);
    const latest = latestByStop(records);
    root.querySelectorAll("li.stop").forEach((stop) => {
      const record = latest[stop.dataset.sequence];
      const form = stop.querySelector("form.visit-form");
      let note = stop.querySelector(".offline-mark");
      if (!record || stop.classList.contains("done")) {
        if (note) { note.remove(); }
        stop.classList.remove("offline-kept");
        if (form) { form.hidden = false; }
        return;
      }
      if (!note) {
        note = document.createElement("p");
        note.setAttribute("role", "status");
        stop.appendChild(note);
      }
      const refused = record.state === "refused" || record.state === "conflict";
      const what = record.target.summary || "";
      note.className = `offline-mark${record.state === "accepted" ? " is-accepted" : ""}${refused ? " is-refused" : ""}`;
      if (refused) {
        note.textContent = Q.format(S.kept_refused, { error: (record.error && record.error.message) || S.refused });
      } else {
        note.textContent = Q.format(record.state === "accepted" ? S.kept_sent : S.kept, { what });
      }
      stop.classList.toggle("offline-kept", !refused);
      if (form) { form.hidden = !refused; }
    });
  }

  function applied(record) {
    if (!record.target || record.target.round !== ROUND) { return false; }
    if (record.kind === "rounds") {
      const badge = document.getElementById("round-status");
      return Boolean(badge && (badge.classList.contains(`status-${record.data.status}`) ||
        badge.classList.contains("status-completed")));
    }
    if (record.kind !== "visits") { return false; }
    const stop = document.getElementById(`stop-${record.target.sequence}`);
    return Boolean(stop && stop.classList.contains("done"));
  }

  function swap(current, fresh) {
    if (!fresh) { return; }
    const node = document.importNode(fresh, true);
    current.replaceWith(node);
    if (window.htmx) { window.htmx.process(node); }
  }

  async function refresh() {
    let html;
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok || response.redirected) { return; }
      html = await response.text();
    } catch (error) {
      return;
    }
    const doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("#stops li.stop").forEach((fresh) => {
      const current = document.getElementById(fresh.id);
      if (current && fresh.classList.contains("done") && !current.classList.contains("done")) {
        swap(current, fresh);
      }
    });
    ["round-progress", "round-status"].forEach((id) => {
      const here = document.getElementById(id);
      const there = doc.getElementById(id);
      if (here && there) { swap(here, there); }
    });
    const steps = document.getElementById("round-steps");
    const freshSteps = doc.getElementById("round-steps");
    if (steps && freshSteps) {
      swap(steps, freshSteps);
    } else if (steps) {
      steps.remove();
    } else if (freshSteps) {
      const panel = document.getElementById("offline-panel");
      if (panel) { panel.after(document.importNode(freshSteps, true)); }
    }
  }

  Q.register({
    match: (form) => root.contains(form) &&
      (form.classList.contains("visit-form") || (form.classList.contains("round-step") && Boolean(stepOf(form)))),
    build: (form) => (form.classList.contains("round-step") ? buildStep(form) : build(form)),
    mark,
    applied,
    refresh,
  });
})();
