/* The round page offline (docs/offline.md): a stop's visit form becomes a `visits`
 * submission in the page's offline queue (core/offline/queue.js) instead of a POST.
 *
 * The submission's data are the `visits` export columns: id (the client UUID), person,
 * team, round, sequence, visited_at (now, ISO with the server's offset), outcome,
 * services, follow_up_due (the server's date today + the days chosen, or null). A stop
 * with a record on this phone shows it in place of its form; a refused record brings the
 * form back with the server's message. When the queue has sent everything, the stops the
 * server now shows as done replace the page's, with the progress line and the steps.
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
    if (record.kind !== "visits" || !record.target || record.target.round !== ROUND) { return false; }
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
    match: (form) => form.classList.contains("visit-form") && root.contains(form),
    build,
    mark,
    applied,
    refresh,
  });
})();
