/* The guard's page: register entries, and keep them on the phone while the network is down.
 *
 * Every entry gets a client-generated id before it is sent. If the request cannot reach the
 * server it goes into a queue in localStorage and is sent again when the network returns; the
 * server treats the id as an idempotency key, so a resend never registers twice. No build step,
 * no dependency. */
(function () {
  "use strict";
  var root = document.getElementById("guard");
  if (!root) return;
  var T = JSON.parse(document.getElementById("guard-i18n").textContent);
  var endpoint = root.dataset.endpoint;
  var returningUrl = root.dataset.returning;
  var threshold = parseFloat(root.dataset.threshold);
  var csrf = root.dataset.csrf;
  var queueKey = root.dataset.queueKey;
  var form = document.getElementById("entry-form");
  var $ = function (id) { return document.getElementById(id); };
  var flushing = false;

  // --- the queue (localStorage: survives a reload or a dead battery) ------------------------
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) { localStorage.setItem(queueKey, JSON.stringify(queue)); renderQueue(); }
  function enqueue(item) { var q = loadQueue(); q.push(item); saveQueue(q); }
  function dequeue(clientId) { saveQueue(loadQueue().filter(function (i) { return i.data.client_id !== clientId; })); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function maskId(id) { return id.length > 8 ? id.slice(0, 4) + "*".repeat(id.length - 8) + id.slice(-4) : id; }
  function hhmm(iso) { var d = new Date(iso); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }

  function renderQueue() {
    var queue = loadQueue();
    $("queue").hidden = queue.length === 0;
    $("queue-count").textContent = queue.length;
    var list = $("queue-list");
    list.textContent = "";
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "list-group-item d-flex align-items-center gap-2";
      li.dataset.testid = "queued-row";
      li.setAttribute("data-testid", "queued-row");
      var text = document.createElement("span");
      text.innerHTML = "";
      text.textContent = hhmm(item.data.recorded_at) + " · " + item.data.name + " · " + maskId(item.data.id_number) + " · " + item.data.temperature + "°";
      li.appendChild(text);
      if (item.error) {
        var err = document.createElement("span");
        err.className = "text-red small";
        err.textContent = T.rejected + " " + item.error;
        li.appendChild(err);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-outline-danger ms-auto";
        remove.textContent = T.remove;
        remove.addEventListener("click", function () { dequeue(item.data.client_id); });
        li.appendChild(remove);
      }
      list.appendChild(li);
    });
  }

  // --- network state ------------------------------------------------------------------------
  function setOnline(on) {
    var badge = $("net-status");
    badge.textContent = on ? T.online : T.offline;
    badge.className = "lq-net " + (on ? "lq-net-on" : "lq-net-off");
    badge.dataset.state = on ? "online" : "offline";
  }
  window.addEventListener("online", function () { setOnline(true); flush(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setOnline(navigator.onLine);

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
  }

  function firstError(payload) {
    if (!payload) return "";
    if (payload.errors) {
      for (var key in payload.errors) {
        var list = payload.errors[key];
        if (list && list.length) return list[0].message;
      }
    }
    return payload.message || "";
  }

  // Send what is queued, oldest first. Stops at the first network failure (still offline).
  function flush() {
    if (flushing) return Promise.resolve();
    var queue = loadQueue().filter(function (i) { return !i.error; });
    if (!queue.length) return Promise.resolve();
    flushing = true;
    var chain = Promise.resolve(true);
    queue.forEach(function (item) {
      chain = chain.then(function (goOn) {
        if (!goOn) return false;
        return post(endpoint, item.data).then(function (response) {
          if (response.ok) {
            return response.json().then(function (entry) { dequeue(item.data.client_id); addToday(entry); return true; });
          }
          if (response.status === 401 || response.status === 403) { showResult("warn", T.signed_out); return false; }
          if (response.status >= 500 || response.status === 429) return false;  // try again later
          return response.json().then(function (payload) {
            var q = loadQueue();
            q.forEach(function (i) { if (i.data.client_id === item.data.client_id) i.error = firstError(payload); });
            saveQueue(q);
            return true;
          });
        }, function () { setOnline(false); return false; });
      });
    });
    return chain.then(function () { flushing = false; renderQueue(); }, function () { flushing = false; });
  }
  setInterval(function () { if (loadQueue().length) flush(); }, 10000);

  // --- today's list and counts ----------------------------------------------------------------
  function addToday(entry) {
    var list = $("today-list");
    if (list.querySelector('[data-client-id="' + entry.client_id + '"]')) return;
    var empty = $("today-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "list-group-item lq-entry";
    li.setAttribute("data-testid", "entry-row");
    li.dataset.clientId = entry.client_id || "";
    var refused = entry.decision === "refused";
    var parts = [
      ["lq-entry-time", hhmm(entry.at)],
      ["lq-entry-who", null],
      ["lq-entry-temp" + (entry.reasons.length ? " text-red" : ""), entry.temperature + "°"],
      ["badge text-white bg-" + (refused ? "red" : "green"), refused ? T.refused : T.admitted],
    ];
    parts.forEach(function (p) {
      var span = document.createElement("span");
      span.className = p[0];
      if (p[1] === null) {
        var b = document.createElement("b"); b.textContent = entry.name; span.appendChild(b);
        var id = document.createElement("span"); id.className = "text-secondary lq-mono"; id.textContent = entry.id_number;
        span.appendChild(id);
      } else { span.textContent = p[1]; }
      li.appendChild(span);
    });
    list.insertBefore(li, list.firstChild);
    var counter = refused ? "count-refused" : (entry.direction === "out" ? "count-out" : "count-in");
    $(counter).textContent = parseInt($(counter).textContent, 10) + 1;
    if (refused && entry.direction === "in") { /* a refused person did not come in */ }
  }

  // --- the form -------------------------------------------------------------------------------
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  function idError(value) {
    var v = value.replace(/[\s-]/g, "").toUpperCase();
    if (!v) return T.required;
    if (v.length === 15 && /^\d+$/.test(v)) return T.id_legacy;
    if (v.length !== 18) return T.id_length;
    if (!/^\d{17}[\dX]$/.test(v)) return T.id_format;
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += parseInt(v[i], 10) * WEIGHTS[i];
    if ("10X98765432"[sum % 11] !== v[17]) return T.id_checksum;
    return "";
  }
  function temperatureError(value) {
    if (!value) return T.required;
    var t = parseFloat(value.replace(",", "."));
    if (isNaN(t) || !/^\s*\d+([.,]\d+)?\s*$/.test(value)) return T.temperature_invalid;
    if (t < parseFloat(T.temperature_min) || t > parseFloat(T.temperature_max)) return T.temperature_range;
    return "";
  }
  function setError(field, message) {
    var box = form.querySelector('[data-error="' + field + '"]');
    var input = form.elements[field];
    if (box) { box.textContent = message || ""; box.style.display = message ? "block" : ""; }
    if (input && input.classList) input.classList.toggle("is-invalid", !!message);
  }
  function clearErrors() { form.querySelectorAll("[data-error]").forEach(function (b) { setError(b.dataset.error, ""); }); }

  function value(name) {
    var el = form.elements[name];
    if (el instanceof RadioNodeList) return el.value;
    return (el.value || "").trim();
  }

  function updateWarning() {
    var warnings = [];
    var t = parseFloat(value("temperature").replace(",", "."));
    if (!isNaN(t) && Math.round(t * 10) >= Math.round(threshold * 10)) warnings.push(T.fever);
    if (value("health_code") && value("health_code") !== "green") warnings.push(T.code);
    var box = $("rule-warning");
    box.hidden = warnings.length === 0;
    box.textContent = warnings.join(" ");
  }
  form.addEventListener("input", updateWarning);
  form.addEventListener("change", updateWarning);
  $("f-refuse").addEventListener("change", function () { $("f-note").hidden = !this.checked; });

  // A returning person: pre-fill from their last entry here (by ID hash on the server).
  $("f-id").addEventListener("input", function () {
    var id = value("id_number").toUpperCase();
    $("returning-hint").hidden = true;
    if (idError(id) || !navigator.onLine) return;
    post(returningUrl, { id_number: id }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data || !data.found || value("id_number").toUpperCase() !== id) return;
      var p = data.person;
      if (!value("name")) form.elements.name.value = p.name;
      if (!value("origin")) form.elements.origin.value = p.origin || "";
      var hint = $("returning-hint");
      hint.textContent = T.returning.replace("%(date)s", p.at.slice(0, 10)).replace("%(phone)s", p.phone_masked);
      hint.hidden = false;
      form.dataset.returning = "1";
    }).catch(function () {});
  });

  function showResult(kind, html, detail) {
    var box = $("result");
    box.className = "lq-result lq-result-" + kind;
    box.textContent = html;
    if (detail) { var small = document.createElement("div"); small.className = "lq-result-detail"; small.textContent = detail; box.appendChild(small); }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  function resetForm() {
    var keepDirection = value("direction");
    form.reset();
    form.elements.direction.value = keepDirection;
    delete form.dataset.returning;
    $("returning-hint").hidden = true;
    $("f-note").hidden = true;
    updateWarning();
    $("f-id").focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var data = {
      client_id: newId(),
      recorded_at: new Date().toISOString(),
      id_number: value("id_number").replace(/[\s-]/g, "").toUpperCase(),
      name: value("name"),
      phone: value("phone"),
      health_code: value("health_code"),
      temperature: value("temperature").replace(",", "."),
      direction: value("direction") || "in",
      origin: value("origin"),
    };
    if ($("f-refuse").checked) { data.decision = "refused"; data.note = value("note"); }
    var errors = { id_number: idError(data.id_number), name: data.name ? "" : T.required, temperature: temperatureError(data.temperature) };
    if (!data.phone && !form.dataset.returning) errors.phone = T.required;
    var bad = false;
    Object.keys(errors).forEach(function (k) { if (errors[k]) { setError(k, errors[k]); bad = true; } });
    if (bad) return;

    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var done = function () { button.disabled = false; };
    var item = { data: data, queued_at: new Date().toISOString() };
    var queueIt = function () {
      enqueue(item);
      showResult("queued", T.queued, data.name);
      resetForm();
    };
    if (!navigator.onLine) { queueIt(); done(); return; }
    showResult("sending", T.sending);
    post(endpoint, data).then(function (response) {
      if (response.ok) {
        return response.json().then(function (entry) {
          addToday(entry);
          var refused = entry.decision === "refused";
          showResult(refused ? "refused" : "admitted", (refused ? T.refused : T.admitted) + " · " + entry.name, entry.reason);
          resetForm();
        });
      }
      if (response.status >= 500 || response.status === 429) { queueIt(); return; }
      return response.json().then(function (payload) {
        var errs = payload.errors || {};
        Object.keys(errs).forEach(function (k) { setError(k, errs[k][0].message); });
        showResult("refused", T.rejected, firstError(payload));
      });
    }, function () { setOnline(false); queueIt(); }).then(done, done);
  });

  renderQueue();
  if (navigator.onLine) flush();
})();
