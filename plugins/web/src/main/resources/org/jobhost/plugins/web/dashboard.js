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
    Promise.all([get("api/status"), get("api/jobs"), get("api/plugins"), get("api/signals")])
      .then(function (r) {
        drawStatus(r[0]);
        drawJobs(r[1]);
        drawPlugins(r[2]);
        drawSignals(r[3]);
      })
      .catch(function (e) { say("cannot reach jobhost: " + e.message, false); })
      .then(function () { polling = false; });
  }

  function act(path, what) {
    var token = $("token").value.trim();
    if (token) { sessionStorage.setItem(TOKEN_KEY, token); }
    var headers = {};
    headers[HEADER] = token;
    fetch(path, { method: "POST", headers: headers, credentials: "omit", cache: "no-store" })
      .then(function (r) {
        return r.json().then(function (body) {
          if (r.ok) { say(what + ": done", true); } else { say(what + ": " + body.error, false); }
        });
      })
      .catch(function (e) { say(what + ": " + e.message, false); })
      .then(poll);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("token").value = sessionStorage.getItem(TOKEN_KEY) || "";
    $("pause").addEventListener("click", function () { act("api/pause", "pause"); });
    $("resume").addEventListener("click", function () { act("api/resume", "resume"); });
    $("resize").addEventListener("click", function () {
      var n = $("workers").value;
      act("api/resize?workers=" + encodeURIComponent(n), "resize to " + n);
    });
    $("jobs").addEventListener("click", function (e) {
      if (e.target.classList.contains("stop")) {
        var id = e.target.closest("tr").getAttribute("data-job");
        act("api/jobs/stop?id=" + encodeURIComponent(id), "stop job " + id);
      }
    });
    poll();
    setInterval(poll, 500);
  });
})();
