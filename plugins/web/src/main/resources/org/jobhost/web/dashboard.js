// The dashboard's live part: polls /api/ twice a second and redraws what the server rendered.
// Actions are POSTs carrying the token the operator typed (kept in this tab's sessionStorage,
// never in a cookie or the page).
"use strict";
(function () {
  var TOKEN_KEY = "jobhost.token";
  var HEADER = "X-Jobhost-Token";

  function $(id) { return document.getElementById(id); }

  function text(el, value) { if (el) { el.textContent = value; } }

  function cell(tr, value) {
    var td = document.createElement("td");
    td.textContent = value;
    tr.appendChild(td);
    return td;
  }

  function seconds(ms) { return (ms / 1000).toFixed(1) + " s"; }

  function say(message, ok) {
    var m = $("message");
    m.textContent = message;
    m.className = ok ? "message ok" : "message";
  }

  function drawStatus(s) {
    var st = $("state");
    text(st, s.state);
    st.className = "state " + s.state;
    text($("pid"), s.pid);
    text($("version"), s.version);
    text($("uptime"), s.uptime_s);
    text($("busy"), s.workers_busy);
    text($("max"), s.workers_max);
    document.querySelectorAll("[data-field]").forEach(function (td) {
      var v = s[td.getAttribute("data-field")];
      if (v !== undefined) { td.textContent = v; }
    });
    var slots = $("slots");
    slots.textContent = "";
    for (var i = 0; i < s.workers_max && i < 256; i++) {
      var d = document.createElement("div");
      d.className = i < s.workers_busy ? "slot busy" : "slot";
      slots.appendChild(d);
    }
  }

  function drawJobs(jobs) {
    var body = $("jobs").tBodies[0];
    // The same jobs as drawn: only their elapsed time changes, and the rows (with their Stop
    // buttons) stay, so a click is not lost to a redraw.
    var rows = body.rows;
    var same = rows.length === jobs.length && jobs.every(function (j, i) {
      return rows[i].getAttribute("data-job") === j.id && rows[i].cells.length === 7;
    });
    if (same) {
      jobs.forEach(function (j, i) { rows[i].cells[5].textContent = seconds(j.elapsed_ms); });
      return;
    }
    body.textContent = "";
    jobs.forEach(function (j) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-job", j.id);
      [j.id, j.type, j.source, j.attempt, j.started, seconds(j.elapsed_ms)].forEach(function (v) {
        cell(tr, v);
      });
      var b = document.createElement("button");
      b.type = "button";
      b.className = "stop";
      b.textContent = "Stop";
      cell(tr, "").appendChild(b);
      body.appendChild(tr);
    });
  }

  function drawPlugins(plugins) {
    var body = $("plugins").tBodies[0];
    body.textContent = "";
    plugins.forEach(function (p) {
      var tr = document.createElement("tr");
      [p.id, p.version, p.state, p.problems.join("; ")].forEach(function (v) { cell(tr, v); });
      body.appendChild(tr);
    });
  }

  function drawSignals(signals) {
    var body = $("signals").tBodies[0];
    body.textContent = "";
    Object.keys(signals).forEach(function (name) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.textContent = "SIG" + name;
      tr.appendChild(th);
      cell(tr, signals[name]);
      body.appendChild(tr);
    });
  }

  // Plugin views (cron tasks and history, queue, dead jobs, cluster): one <section class="view">
  // each, rendered by the server; redrawn from api/views/<name> with the filters typed.
  function cellText(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "object") { return JSON.stringify(v); }
    return String(v);
  }

  function viewPath(section) {
    var q = [];
    section.querySelectorAll("[data-filter]").forEach(function (input) {
      var v = input.value.trim();
      if (v) { q.push(encodeURIComponent(input.getAttribute("data-filter")) + "=" + encodeURIComponent(v)); }
    });
    return "api/views/" + encodeURIComponent(section.getAttribute("data-view")) +
      (q.length ? "?" + q.join("&") : "");
  }

  function drawView(section, rows) {
    var key = section.getAttribute("data-key");
    var actions = section.getAttribute("data-actions");
    actions = actions ? actions.split(",") : [];
    var columns = section.getAttribute("data-columns");
    columns = columns ? columns.split(",") : (rows.length ? Object.keys(rows[0]) : null);
    var table = section.querySelector("table");
    if (columns) {
      var head = table.tHead.rows[0];
      head.textContent = "";
      columns.concat(actions.length ? [""] : []).forEach(function (c) {
        var th = document.createElement("th");
        th.textContent = c;
        head.appendChild(th);
      });
    }
    var body = table.tBodies[0];
    body.textContent = "";
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-key", cellText(r[key]));
      (columns || []).forEach(function (c) {
        var t = cellText(r[c]);
        var td = cell(tr, t.length > 80 ? t.substring(0, 77) + "..." : t);
        td.title = t;
      });
      if (actions.length) {
        var td = cell(tr, "");
        actions.forEach(function (a) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "view-action";
          b.setAttribute("data-action", a);
          b.textContent = a;
          td.appendChild(b);
          td.appendChild(document.createTextNode(" "));
        });
      }
      body.appendChild(tr);
    });
  }

  // What each view shows now: its path (with the filters) and the rows drawn from it.
  var drawn = new WeakMap();
  function pollView(section) {
    if (section.getAttribute("data-polling")) {
      // A filter changed while a reply is on its way: ask again once that reply is in.
      section.setAttribute("data-again", "1");
      return;
    }
    section.setAttribute("data-polling", "1");
    var path = viewPath(section);
    fetch(path, { cache: "no-store", credentials: "omit" })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { say(section.getAttribute("data-view") + ": " + body.error, false); return; }
          // A reply to filters that changed meanwhile is dropped: it would show the wrong rows.
          if (viewPath(section) !== path) { section.setAttribute("data-again", "1"); return; }
          // Redraw only on change: a row replaced under the pointer would swallow a click.
          var shown = path + "\n" + JSON.stringify(body);
          if (drawn.get(section) !== shown) {
            drawn.set(section, shown);
            drawView(section, body);
          }
        });
      })
      .catch(function (e) { say("cannot reach jobhost: " + e.message, false); })
      .then(function () {
        section.removeAttribute("data-polling");
        if (section.getAttribute("data-again")) {
          section.removeAttribute("data-again");
          pollView(section);
        }
      });
  }

  function pollViews() {
    document.querySelectorAll("section.view").forEach(pollView);
  }

  function get(path) {
    return fetch(path, { cache: "no-store", credentials: "omit" }).then(function (r) {
      if (!r.ok) { throw new Error(path + ": HTTP " + r.status); }
      return r.json();
    });
  }

  var polling = false;
  function poll() {
    if (polling) { return; }
    polling = true;
    // Status and jobs in one answer: the busy count and the jobs table agree.
    Promise.all([get("api/live"), get("api/plugins"), get("api/signals")])
      .then(function (r) {
        drawStatus(r[0].status);
        drawJobs(r[0].jobs);
        drawPlugins(r[1]);
        drawSignals(r[2]);
      })
      .catch(function (e) { say("cannot reach jobhost: " + e.message, false); })
      .then(function () { polling = false; });
  }

  function act(path, what, after) {
    var token = $("token").value.trim();
    if (token) { sessionStorage.setItem(TOKEN_KEY, token); }
    var headers = {};
    headers[HEADER] = token;
    fetch(path, { method: "POST", headers: headers, credentials: "omit", cache: "no-store" })
      .then(function (r) {
        return r.json().then(function (body) {
          if (r.ok) { say(what + ": " + (body.done || "done"), true); } else { say(what + ": " + body.error, false); }
        });
      })
      .catch(function (e) { say(what + ": " + e.message, false); })
      .then(after || poll);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("token").value = sessionStorage.getItem(TOKEN_KEY) || "";
    $("pause").addEventListener("click", function () { act("api/pause", "pause"); });
    $("resume").addEventListener("click", function () { act("api/resume", "resume"); });
    $("resize").addEventListener("click", function () {
      var n = $("workers").value;
      act("api/resize?workers=" + encodeURIComponent(n), "resize to " + n);
    });
    document.querySelectorAll("section.view").forEach(function (section) {
      var name = section.getAttribute("data-view");
      section.addEventListener("click", function (e) {
        if (e.target.classList.contains("view-action")) {
          var key = e.target.closest("tr").getAttribute("data-key");
          var action = e.target.getAttribute("data-action");
          act("api/views/" + encodeURIComponent(name) + "/" + encodeURIComponent(action) +
            "?key=" + encodeURIComponent(key), action + " " + key, pollViews);
        }
      });
      section.querySelectorAll("[data-filter]").forEach(function (input) {
        input.addEventListener("change", function () { pollView(section); });
      });
    });
    $("jobs").addEventListener("click", function (e) {
      if (e.target.classList.contains("stop")) {
        var id = e.target.closest("tr").getAttribute("data-job");
        act("api/jobs/stop?id=" + encodeURIComponent(id), "stop job " + id);
      }
    });
    poll();
    setInterval(poll, 500);
    pollViews();
    setInterval(pollViews, 1000);
  });
})();
