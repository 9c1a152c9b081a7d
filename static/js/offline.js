/* The offline on-site evaluation form (docs/architecture.md, "The offline evaluation form").
 *
 * On every page:
 *   - a different user than the last one on this browser, or the "Log out" button
 *     (<form data-offline-logout>), deletes everything kept offline: the service worker's cache, the
 *     drafts and photos in IndexedDB, the worker's registration;
 *   - <div id="offline-keep" data-manifest="/assessments/offline/"> (an evaluator's work list and forms)
 *     registers the service worker (/sw.js) and asks it to keep the pages of the manifest.
 *
 * On the evaluation form (<form id="assessment-form" data-offline-key="…">):
 *   - every answer, scene level, note and meta field is kept as a draft in IndexedDB as it is typed,
 *     and restored when the page is opened again (also offline, from the worker's cache);
 *   - photos taken with the tablet's camera are downscaled in a canvas and queued in IndexedDB;
 *   - when the server answers, the draft is stored on it (POST /api/v1/assessments/ for a new one,
 *     POST /api/v1/assessments/{id}/sync/ with the version it was taken from) and the photos uploaded as
 *     evidence; a 409 shows both versions side by side and lets the evaluator choose;
 *   - the state is shown (#offline-state: saved on this device / synchronised / conflict);
 *   - without a connection the score card is computed on the device (static/js/scoring.js) from the
 *     rule table the server scores with.
 *
 * On a one-shot decision form (<form data-offline-draft="acceptance:<project>">, the project acceptance):
 *   - the fields are kept as a draft in IndexedDB as they are typed and restored on opening;
 *   - the draft is sent through the page's own POST only when the evaluator presses submit online, and
 *     only if the record's state on the server is still the one the form was opened with; otherwise the
 *     server's decision is shown beside the draft (#offline-conflict) and nothing is sent.
 */
(function () {
  "use strict";

  var DB_NAME = "sj-offline", USER_KEY = "sjOfflineUser", CACHE_PREFIX = "sj-offline";
  var body = document.body, userId = (body && body.dataset.userId) || "";
  var dbPromise = null, dbHandle = null;

  /* --- IndexedDB -------------------------------------------------------------------------------- */
  var closing = false;  // logging out: no connection may be opened again on this page

  function openDb() {
    if (closing) { return Promise.reject(new Error("logging out")); }
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("drafts", { keyPath: "key" });
        var photos = db.createObjectStore("photos", { keyPath: "id", autoIncrement: true });
        photos.createIndex("draft", "draft");
      };
      request.onsuccess = function () {
        dbHandle = request.result;
        dbHandle.onversionchange = function () { dbHandle.close(); dbHandle = null; dbPromise = null; };
        resolve(dbHandle);
      };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function store(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode), result;
        var request = work(tx.objectStore(name));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  var drafts = {
    get: function (key) { return store("drafts", "readonly", function (s) { return s.get(key); }); },
    put: function (draft) { return store("drafts", "readwrite", function (s) { return s.put(draft); }); },
    remove: function (key) { return store("drafts", "readwrite", function (s) { return s.delete(key); }); }
  };
  var photos = {
    of: function (key) { return store("photos", "readonly", function (s) { return s.index("draft").getAll(key); }); },
    put: function (photo) { return store("photos", "readwrite", function (s) { return s.put(photo); }); },
    remove: function (id) { return store("photos", "readwrite", function (s) { return s.delete(id); }); }
  };

  /* --- clearing: another user, or logging out ------------------------------------------------------ */
  function clearAll(forGood) {
    closing = true;
    if (dbHandle) { dbHandle.close(); dbHandle = null; dbPromise = null; }
    var steps = [];
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf(CACHE_PREFIX) === 0; })
          .map(function (n) { return caches.delete(n); }));
      }));
    }
    if (navigator.serviceWorker) {
      steps.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    steps.push(new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    }));
    try { localStorage.removeItem(USER_KEY); } catch (e) { /* storage refused: nothing kept there */ }
    return Promise.all(steps).catch(function () {}).then(function () { closing = !!forGood; });
  }
  window.SJOffline = { clearAll: clearAll };

  var cleared = Promise.resolve();
  if (userId) {
    var last = null;
    try { last = localStorage.getItem(USER_KEY); } catch (e) { /* no storage */ }
    if (last && last !== userId) { cleared = clearAll(); }
    cleared.then(function () { try { localStorage.setItem(USER_KEY, userId); } catch (e) { /* no storage */ } });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline-logout") || form.dataset.offlineCleared) { return; }
    e.preventDefault();
    clearAll(true).then(function () { form.dataset.offlineCleared = "1"; form.submit(); });
  });

  /* --- the service worker: keep the evaluator's pages ---------------------------------------------- */
  var keepEl = document.getElementById("offline-keep");
  if (keepEl && navigator.serviceWorker && userId) {
    cleared.then(function () {
      return navigator.serviceWorker.register("/sw.js", { scope: "/" });
    }).then(function () { return navigator.serviceWorker.ready; }).then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        keepEl.dataset.kept = event.data && !event.data.error ? String(event.data.kept) : "error";
      };
      registration.active.postMessage({ type: "keep", manifest: keepEl.dataset.manifest }, [channel.port2]);
    }).catch(function () { keepEl.dataset.kept = "error"; });
  }

  /* --- after a successful save: the posted draft is no longer needed ------------------------------- */
  var done = document.querySelector("[data-offline-done]");
  if (done && userId) {
    done.dataset.offlineDone.split(" ").forEach(function (k) {
      var key = userId + ":" + k;
      drafts.get(key).then(function (draft) {
        if (draft && draft.state === "posted") {
          return photos.of(key).then(function (list) {
            if (!list.some(function (p) { return p.state === "queued"; })) { return drafts.remove(key); }
          });
        }
      }).catch(function () {});
    });
  }

  /* --- a one-shot decision form (the project acceptance) ------------------------------------------ *
   * <form data-offline-draft="acceptance:<id>" data-version="<state>" data-state-url="<API record>">:
   * every field is kept as a draft in IndexedDB as it is typed and restored when the page is opened
   * again (also offline, from the worker's cache). Nothing is sent by itself: the draft goes to the
   * server through the page's own POST when the evaluator presses submit with a connection, and only if
   * the record's state on the server is still the one the form was opened with (data-version). When it
   * changed (someone else decided), the server's decision is shown beside this device's draft. */
  function decisionForm(form) {
    var KEY = userId + ":" + form.dataset.offlineDraft;
    var stateEl = document.getElementById("offline-state");
    var conflictEl = document.getElementById("offline-conflict");
    var pageVersion = form.dataset.version || "";
    var current = null, saving = Promise.resolve();

    function text(name) { return (stateEl && stateEl.dataset[name]) || ""; }
    function showState(state, detail) {
      if (!stateEl) { return; }
      stateEl.dataset.state = state;
      var label = { "new": text("new"), local: text("local"), posted: text("local"), synced: text("synced"),
                    conflict: text("conflict") }[state] || "";
      stateEl.querySelector("[data-state-label]").textContent = label;
      stateEl.querySelector("[data-state-detail]").textContent = detail || "";
      stateEl.className = "alert py-2 mb-3 offline-state offline-state-" + state;
    }

    function serialize() {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "offline_version" || el.type === "file" ||
            el.type === "submit" || el.type === "button" || el.disabled) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          if (!fields[el.name]) { fields[el.name] = []; }
          if (el.checked) { fields[el.name].push(el.value); }
        } else {
          fields[el.name] = [el.value];
        }
      });
      return fields;
    }
    function apply(fields) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in fields) || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = fields[el.name].indexOf(el.value) !== -1;
        } else if (el.type !== "submit" && el.type !== "button") {
          el.value = fields[el.name][0] === undefined ? "" : fields[el.name][0];
        }
      });
    }

    function save() {
      var fields = serialize();
      saving = saving.then(function () { return drafts.get(KEY); }).then(function (draft) {
        draft = draft || { key: KEY, version: pageVersion };
        draft.fields = fields;
        draft.saved_at = Date.now();
        if (draft.state !== "conflict") { draft.state = "local"; }
        current = draft;
        return drafts.put(draft);
      }).then(function () {
        showState(current.state, current.state === "conflict" ? text("conflictDetail") :
                  (navigator.onLine ? text("localDetail") : text("offlineDetail")));
      }).catch(function () {});
      return saving;
    }

    /** The record's state on the server now: its version (status:attempts) and its latest decision. */
    function serverState() {
      return fetch(form.dataset.stateUrl, { credentials: "same-origin", cache: "no-store",
                                            headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (project) {
          var list = project.acceptances || [];
          var latest = list.reduce(function (a, b) { return !a || b.attempt > a.attempt ? b : a; }, null);
          return { version: project.status + ":" + project.acceptance_attempts, status: project.status,
                   latest: latest };
        });
    }

    function labelOf(name, values) {
      var shown = [];
      (values || []).forEach(function (v) {
        var input = form.querySelector("[name='" + name + "'][value='" + v + "']");
        var label = input && input.id ? form.querySelector("label[for='" + input.id + "']") : null;
        shown.push(label ? label.textContent.trim() : v);
      });
      return shown.join(", ");
    }

    function renderConflict(draft) {
      if (!conflictEl) { return; }
      var server = draft.server || {}, latest = server.latest, fields = draft.fields || {};
      function row(name, mine, theirs) {
        var tr = conflictEl.querySelector("[data-compare='" + name + "']");
        if (!tr) { return; }
        tr.querySelector(".offline-mine").textContent = mine;
        tr.querySelector(".offline-theirs").textContent = theirs;
      }
      var none = conflictEl.dataset.none;
      var statusCell = conflictEl.querySelector("[data-server-status]");
      var labels = {};
      try { labels = JSON.parse(document.getElementById("project-status-labels").textContent); } catch (e) { /* none */ }
      if (statusCell) { statusCell.textContent = labels[server.status] || server.status || ""; }
      row("passed", labelOf("passed", fields.passed),
          latest ? (latest.passed ? conflictEl.dataset.passed : conflictEl.dataset.failed) : none);
      row("accepted_on", (fields.accepted_on || [""])[0], latest ? latest.accepted_on : none);
      row("findings", (fields.findings || [""])[0], latest ? latest.findings : none);
      var decided = server.status !== form.dataset.waitingStatus;
      conflictEl.querySelector("[data-offline-decided]").hidden = !decided;
      conflictEl.querySelector("[data-offline-keep-mine]").disabled = decided;
      conflictEl.hidden = false;
    }

    function render(draft) {
      if (draft.state === "conflict") {
        showState("conflict", text("conflictDetail"));
        renderConflict(draft);
      } else {
        if (conflictEl) { conflictEl.hidden = true; }
        showState(draft.state, navigator.onLine ? text("localDetail") : text("offlineDetail"));
      }
    }

    /** Compare the draft's version with the server's: a change is a conflict, kept until the evaluator chooses. */
    function check() {
      if (!navigator.onLine) { return Promise.resolve(current); }
      return saving.then(function () { return drafts.get(KEY); }).then(function (draft) {
        if (!draft) { return null; }
        return serverState().then(function (server) {
          current = draft;
          if (server.version !== draft.version) {
            draft.state = "conflict";
            draft.server = server;
          }
          return drafts.put(draft).then(function () { render(draft); return draft; });
        }, function () { return draft; });  // the server cannot be asked: the draft stays as it is
      });
    }

    function control(target) { return target && target.name && target.type !== "file"; }
    form.addEventListener("input", function (e) { if (control(e.target)) { form.dataset.touched = "1"; save(); } });
    form.addEventListener("change", function (e) { if (control(e.target)) { save(); } });
    window.addEventListener("pagehide", function () { if (form.dataset.touched) { save(); } });
    window.addEventListener("online", function () { check(); });

    form.addEventListener("submit", function (e) {
      if (e.defaultPrevented || form.dataset.offlinePosting) { return; }
      e.preventDefault();
      if (!navigator.onLine) {
        save().then(function () { showState("local", text("offlineDetail")); });
        return;
      }
      save().then(check).then(function (draft) {
        if (!draft) { throw new Error("no draft"); }
        if (draft.state === "conflict") { return; }  // shown side by side; nothing is sent
        draft.state = "posted";
        return drafts.put(draft).then(function () {
          var hidden = form.querySelector("input[name=offline_version]");
          if (!hidden) {
            hidden = document.createElement("input");
            hidden.type = "hidden";
            hidden.name = "offline_version";
            form.appendChild(hidden);
          }
          hidden.value = draft.version || "";
          form.dataset.offlinePosting = "1";
          HTMLFormElement.prototype.submit.call(form);
        });
      }).catch(function () { form.dataset.offlinePosting = "1"; HTMLFormElement.prototype.submit.call(form); });
    });

    if (conflictEl) {
      conflictEl.querySelector("[data-offline-keep-mine]").addEventListener("click", function () {
        drafts.get(KEY).then(function (draft) {
          draft.version = draft.server.version;  // decided knowingly against the server's new state
          draft.state = "local";
          draft.server = null;
          current = draft;
          return drafts.put(draft);
        }).then(function () { render(current); });
      });
      conflictEl.querySelector("[data-offline-take-theirs]").addEventListener("click", function () {
        drafts.remove(KEY).then(function () {
          current = null;
          form.reset();
          conflictEl.hidden = true;
          showState("new", "");
        });
      });
    }

    cleared.then(function () { return drafts.get(KEY); }).then(function (draft) {
      if (!draft) {
        showState("new", "");
        form.dataset.restored = "0";
        return;
      }
      if (draft.state === "posted") { draft.state = "local"; }  // the post did not get through
      current = draft;
      apply(draft.fields || {});
      return drafts.put(draft).then(function () {
        render(draft);
        form.dataset.restored = "1";
        return check();
      });
    }).catch(function () {});
  }

  /* A decision draft whose record was decided on the server meanwhile (the form is no longer offered):
   * the record's page says so, and the evaluator may drop the draft; it is never dropped silently. */
  var orphan = document.querySelector("[data-offline-orphan]");
  if (orphan && userId && window.indexedDB) {
    var orphanKey = userId + ":" + orphan.dataset.offlineOrphan;
    cleared.then(function () { return drafts.get(orphanKey); })
      .then(function (draft) { if (draft) { orphan.hidden = false; } }).catch(function () {});
    orphan.querySelector("[data-offline-drop]").addEventListener("click", function () {
      drafts.remove(orphanKey).then(function () { orphan.hidden = true; }).catch(function () {});
    });
  }

  var decision = document.querySelector("form[data-offline-draft]");
  if (decision && userId && window.indexedDB) { decisionForm(decision); }

  /* --- the evaluation form ------------------------------------------------------------------------- */
  var form = document.getElementById("assessment-form");
  if (!form || !form.dataset.offlineKey || !userId || !window.indexedDB) { return; }
  var KEY = userId + ":" + form.dataset.offlineKey;
  var stateEl = document.getElementById("offline-state");
  var conflictEl = document.getElementById("offline-conflict");
  var current = null;  // the draft as last stored
  var syncing = false, rules = null;

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)sjp_csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function text(name) { return (stateEl && stateEl.dataset[name]) || ""; }

  function showState(state, detail) {
    if (!stateEl) { return; }
    stateEl.dataset.state = state;
    var label = { "new": text("new"), local: text("local"), posted: text("local"), synced: text("synced"),
                  conflict: text("conflict") }[state] || "";
    stateEl.querySelector("[data-state-label]").textContent = label;
    stateEl.querySelector("[data-state-detail]").textContent = detail || "";
    stateEl.className = "alert py-2 mb-3 offline-state offline-state-" + state;
  }

  /* fields ⇄ form */
  function serialize() {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "action" || el.type === "file" ||
          el.type === "submit" || el.type === "button" || el.disabled) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (!fields[el.name]) { fields[el.name] = []; }
        if (el.checked) { fields[el.name].push(el.value); }
      } else {
        fields[el.name] = [el.value];
      }
    });
    return fields;
  }

  function apply(fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in fields) || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = fields[el.name].indexOf(el.value) !== -1;
      } else if (el.type !== "submit" && el.type !== "button") {
        el.value = fields[el.name][0] === undefined ? "" : fields[el.name][0];
      }
    });
  }

  function first(fields, name) { return fields[name] && fields[name].length ? fields[name][0] : ""; }

  /** The draft in the API's form (docs/api.md): answers, raw numbers, scenes, notes and the meta fields. */
  function payload(fields) {
    var out = { answers: {}, raw: {}, scenes: {}, scene_notes: {} };
    form.querySelectorAll(".questionnaire-item[data-kind]").forEach(function (fieldset) {
      var code = fieldset.id.replace(/^item-/, ""), kind = fieldset.dataset.kind, name = "item_" + code;
      var values = fields[name] || [];
      if (kind === "multi") {
        out.answers[code] = values.map(Number).sort(function (a, b) { return a - b; });
      } else if (values.length && String(values[0]).trim() !== "") {
        out.answers[code] = kind === "outcome" ? values[0] : Number(values[0]);
      }
    });
    Object.keys(fields).forEach(function (name) {
      var value = String(first(fields, name)).trim();
      if (name.indexOf("raw_") === 0 && value) { out.raw[name.slice(4)] = value; }
      if (name.indexOf("scene_") === 0 && value && Number(value)) { out.scenes[name.slice(6)] = Number(value); }
      if (name.indexOf("note_") === 0 && value) { out.scene_notes[name.slice(5)] = value; }
    });
    ["stage", "evaluated_on", "evaluators", "note"].forEach(function (name) {
      if (name in fields) { out[name] = first(fields, name); }
    });
    return out;
  }

  /** The server's assessment as form fields (to take the server's version). */
  function fieldsOf(server) {
    var fields = serialize();
    Object.keys(fields).forEach(function (name) {
      if (/^(item|raw|scene|note)_/.test(name)) { fields[name] = []; }
    });
    form.querySelectorAll(".questionnaire-item[data-kind]").forEach(function (fieldset) {
      var code = fieldset.id.replace(/^item-/, ""), value = (server.answers || {})[code];
      if (value === undefined || value === null) { return; }
      fields["item_" + code] = Array.isArray(value) ? value.map(String) : [String(value)];
    });
    Object.keys(server.raw || {}).forEach(function (k) { fields["raw_" + k] = [String(server.raw[k])]; });
    form.querySelectorAll("select[name^=scene_]").forEach(function (el) {
      fields[el.name] = [String((server.scenes || {})[el.name.slice(6)] || 0)];
    });
    Object.keys(server.scene_notes || {}).forEach(function (k) { fields["note_" + k] = [server.scene_notes[k]]; });
    ["stage", "evaluated_on", "evaluators", "note"].forEach(function (name) {
      if (name in fields && server[name] !== undefined && server[name] !== null) { fields[name] = [String(server[name])]; }
    });
    return fields;
  }

  /* saving as typed */
  var saving = Promise.resolve();
  function save() {
    var fields = serialize();
    saving = saving.then(function () { return drafts.get(KEY); }).then(function (draft) {
      draft = draft || {
        key: KEY, assessment: form.dataset.assessment ? Number(form.dataset.assessment) : null,
        version: form.dataset.version || "", enterprise: Number(form.dataset.enterprise),
        method: form.dataset.method, index: form.dataset.index
      };
      draft.fields = fields;
      draft.saved_at = Date.now();
      if (draft.state !== "conflict") { draft.state = "local"; }
      current = draft;
      return drafts.put(draft);
    }).then(function () {
      showState(current.state, current.state === "conflict" ? text("conflictDetail") : text("localDetail"));
      soon();
    }).catch(function () {});
    return saving;
  }

  var timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(sync, 1200); }

  function api(method, url, data, isForm) {
    var headers = { "X-CSRFToken": csrf(), "Accept": "application/json" };
    if (!isForm) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers,
                        body: isForm ? data : JSON.stringify(data) })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return { status: response.status, body: json };
        });
      });
  }

  function errorText(body) {
    if (!body) { return ""; }
    if (body.message) { return body.message; }
    return Object.keys(body).map(function (k) {
      return k + ": " + (Array.isArray(body[k]) ? body[k].join(" ") : String(body[k]));
    }).join("; ");
  }

  /* synchronising */
  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    return saving.then(function () { return drafts.get(KEY); }).then(function (draft) {
      if (!draft) { return null; }
      current = draft;
      if (draft.state !== "local" && draft.state !== "posted") { return draft; }
      var snapshot = draft.saved_at, data = payload(draft.fields), request;
      if (draft.assessment) {
        data.version = draft.version || "";
        request = api("POST", "/api/v1/assessments/" + draft.assessment + "/sync/", data);
      } else {
        data.enterprise = draft.enterprise;
        data.method = draft.method;
        data.index = draft.index;
        data.status = "draft";
        request = api("POST", "/api/v1/assessments/", data);
      }
      return request.then(function (answer) {
        return drafts.get(KEY).then(function (latest) {
          latest = latest || draft;
          if (answer.status === 200 || answer.status === 201) {
            latest.assessment = answer.body.id;
            latest.version = answer.body.version;
            latest.server = null;
            latest.error = "";
            if (latest.saved_at === snapshot && latest.state !== "posted") { latest.state = "synced"; }
          } else if (answer.status === 409 && answer.body.server) {
            latest.state = "conflict";
            latest.server = answer.body.server;
          } else {
            latest.error = errorText(answer.body);
          }
          current = latest;
          return drafts.put(latest).then(function () { return latest; });
        });
      });
    }).then(function (draft) {
      if (!draft) { return; }
      return uploadPhotos(draft).then(function () { render(draft); });
    }).catch(function () {
      // No connection (or the server is down): the draft stays on this device.
      if (current) { showState(current.state, current.state === "conflict" ? text("conflictDetail") : text("offlineDetail")); }
    }).then(function () {
      syncing = false;
      if (current && current.state === "local" && !current.error) {
        drafts.get(KEY).then(function (d) { if (d && d.saved_at !== current.saved_at) { soon(); } });
      }
    });
  }

  function render(draft) {
    if (draft.state === "conflict") {
      showState("conflict", text("conflictDetail"));
      showConflict(draft);
    } else {
      if (conflictEl) { conflictEl.hidden = true; }
      if (draft.state === "synced") {
        showState("synced", text("syncedDetail").replace("{id}", draft.assessment));
      } else {
        showState("local", draft.error ? text("refusedDetail") + " " + draft.error : text("localDetail"));
      }
    }
    if (draft.assessment && form.dataset.editUrl) {
      form.dataset.savedAs = String(draft.assessment);
    }
  }

  /* conflict: both versions side by side */
  function labelOf(name) {
    var el = form.querySelector('[name="' + name + '"]');
    if (!el) { return name; }
    var box = el.closest("fieldset");
    if (box && box.querySelector("legend")) { return box.querySelector("legend").firstChild.textContent.trim(); }
    var label = form.querySelector('label[for="' + el.id + '"]');
    return label ? label.textContent.trim() : name;
  }

  function shown(name, values) {
    if (!values || !values.length) { return "—"; }
    var el = form.querySelector('[name="' + name + '"]');
    if (el && (el.type === "checkbox" || el.type === "radio")) {
      return values.map(function (v) {
        var option = form.querySelector('[name="' + name + '"][value="' + v + '"]');
        var label = option && form.querySelector('label[for="' + option.id + '"]');
        return label ? label.firstChild.textContent.trim() : v;
      }).join("、");
    }
    return values.join("") || "—";
  }

  function showConflict(draft) {
    if (!conflictEl) { return; }
    var mine = draft.fields, theirs = fieldsOf(draft.server), rows = conflictEl.querySelector("tbody");
    rows.replaceChildren();
    Object.keys(mine).forEach(function (name) {
      if (!/^(item|raw|scene|note)_|^(stage|evaluated_on|evaluators|note)$/.test(name)) { return; }
      var a = (mine[name] || []).slice().sort().join("|"), b = (theirs[name] || []).slice().sort().join("|");
      if (/^scene_/.test(name)) { a = a || "0"; b = b || "0"; }
      if (a === b) { return; }
      var tr = document.createElement("tr");
      tr.dataset.field = name;
      [labelOf(name), shown(name, mine[name]), shown(name, theirs[name])].forEach(function (value, i) {
        var td = document.createElement(i ? "td" : "th");
        td.textContent = value;
        if (i === 1) { td.className = "offline-mine"; }
        if (i === 2) { td.className = "offline-theirs"; }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    var submitted = draft.server.status === "submitted";
    conflictEl.querySelector("[data-offline-keep-mine]").hidden = submitted;
    conflictEl.querySelector("[data-offline-submitted]").hidden = !submitted;
    conflictEl.querySelector("[data-offline-server-score]").textContent =
      draft.server.score === null || draft.server.score === undefined ? "—" : String(draft.server.score);
    conflictEl.hidden = false;
  }

  if (conflictEl) {
    conflictEl.querySelector("[data-offline-keep-mine]").addEventListener("click", function () {
      drafts.get(KEY).then(function (draft) {
        draft.version = draft.server.version;
        draft.state = "local";
        draft.server = null;
        return drafts.put(draft);
      }).then(sync);
    });
    conflictEl.querySelector("[data-offline-take-theirs]").addEventListener("click", function () {
      drafts.get(KEY).then(function (draft) {
        apply(fieldsOf(draft.server));
        draft.fields = serialize();
        draft.version = draft.server.version;
        draft.assessment = draft.server.id;
        draft.state = "synced";
        draft.server = null;
        current = draft;
        return drafts.put(draft);
      }).then(function () { render(current); refreshScore(); });
    });
  }

  /* photos: downscaled in a canvas, queued, uploaded as evidence */
  var MAX_SIDE = Number(form.dataset.photoMaxSide || 1600);

  function downscale(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (blob) { resolve({ blob: blob, width: canvas.width, height: canvas.height }); } else { reject(new Error("toBlob")); }
        }, "image/jpeg", 0.85);
      });
    });
  }

  function listPhotos() {
    return photos.of(KEY).then(function (list) {
      form.querySelectorAll("[data-offline-photos]").forEach(function (ul) {
        ul.replaceChildren();
        list.filter(function (p) { return p.scene === ul.dataset.offlinePhotos; }).forEach(function (p) {
          var li = document.createElement("li");
          li.dataset.state = p.state;
          li.textContent = p.name + " · " + p.width + "×" + p.height + " · " +
            (p.state === "uploaded" ? ul.dataset.uploaded : ul.dataset.queued);
          ul.appendChild(li);
        });
      });
    }).catch(function () {});
  }

  function uploadPhotos(draft) {
    if (!draft.assessment) { return listPhotos(); }
    return photos.of(KEY).then(function (list) {
      return list.filter(function (p) { return p.state === "queued"; }).reduce(function (chain, photo) {
        return chain.then(function () {
          var data = new FormData();
          data.append("scene", photo.scene);
          data.append("file", photo.blob, photo.name);
          return api("POST", "/api/v1/assessments/" + draft.assessment + "/evidence/", data, true).then(function (answer) {
            if (answer.status === 201) {
              photo.state = "uploaded";
              photo.blob = null;  // the server has it: the tablet keeps only the line in the list
              return photos.put(photo);
            }
          });
        });
      }, Promise.resolve());
    }).then(listPhotos);
  }

  form.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[data-offline-photo]")) { return; }
    var files = Array.prototype.slice.call(input.files || []);
    files.reduce(function (chain, file, i) {
      return chain.then(function () { return downscale(file); }).then(function (small) {
        return photos.put({
          draft: KEY, scene: input.dataset.offlinePhoto, blob: small.blob, width: small.width, height: small.height,
          name: "photo-" + input.dataset.offlinePhoto + "-" + Date.now() + "-" + i + ".jpg", state: "queued"
        });
      });
    }, Promise.resolve()).then(function () {
      input.value = "";
      return listPhotos();
    }).then(save).catch(function () { input.value = ""; });
  });

  /* the score on this device */
  function loadRules() {
    if (rules) { return Promise.resolve(rules); }
    return fetch("/api/v1/assessments/rules/?index=" + encodeURIComponent(form.dataset.index || ""),
                 { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (table) { rules = table; return table; });
  }

  function cell(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) { el.className = cls; }
    return el;
  }

  function renderLocalScore() {
    var card = document.getElementById("score-card");
    if (!card || !window.SJScoring) { return Promise.resolve(); }
    return loadRules().then(function (table) {
      var data = payload(serialize()), result = window.SJScoring.score(table, data.answers, data.scenes);
      var names = {};
      try { names = JSON.parse(document.getElementById("score-dimension-names").textContent); } catch (e) { /* none */ }
      var box = cell("div", "", "card border-warning-subtle");
      box.id = "score-card-body";
      box.dataset.computedOn = "device";
      box.appendChild(cell("div", card.dataset.localTitle, "card-header fw-semibold"));
      var inner = cell("div", "", "card-body");
      box.appendChild(inner);
      if (!result.ok) {
        inner.appendChild(cell("p", card.dataset.localInvalid, "text-muted mb-0"));
      } else {
        var total = cell("div", "", "d-flex align-items-baseline gap-2");
        var big = cell("span", result.score, "display-6 fw-semibold");
        big.id = "live-total";
        total.appendChild(big);
        total.appendChild(cell("span", "/ 100", "text-muted"));
        inner.appendChild(total);
        var level = cell("div", card.dataset.levelLabel + ": ", "mb-2");
        var badge = cell("span", result.level ? String(result.level) : card.dataset.noLevel,
                         "badge fs-6 " + (result.level >= 2 ? "text-bg-success" : result.level === 1 ? "text-bg-warning" : "text-bg-secondary"));
        badge.id = "live-level";
        level.appendChild(badge);
        inner.appendChild(level);
        var dims = cell("table", "", "table table-sm small mb-2");
        dims.id = "live-dimensions";
        Object.keys(result.dimensions).forEach(function (code) {
          var tr = document.createElement("tr");
          tr.dataset.dimension = code;
          tr.appendChild(cell("td", names[code] || code));
          tr.appendChild(cell("td", result.dimensions[code], "text-end"));
          dims.appendChild(tr);
        });
        inner.appendChild(dims);
        var scenes = cell("table", "", "table table-sm small mb-0 text-center");
        scenes.id = "live-scenes";
        [["≥", ["1", "2", "3", "4"]], [card.dataset.scenesAll, result.scenes_at_or_above],
         ["★", result.constraint_scenes_at_or_above]].forEach(function (row, i) {
          var tr = document.createElement("tr");
          tr.appendChild(cell(i ? "td" : "th", row[0], "text-start"));
          ["1", "2", "3", "4"].forEach(function (k, j) { tr.appendChild(cell(i ? "td" : "th", i ? String(row[1][k]) : row[1][j])); });
          scenes.appendChild(tr);
        });
        inner.appendChild(scenes);
      }
      if (Object.keys(data.raw).length) { inner.appendChild(cell("div", card.dataset.rawNote, "form-text")); }
      card.replaceChildren(box);
    }).catch(function () {});
  }

  function refreshScore() {
    if (!navigator.onLine) { return renderLocalScore(); }
    var questionnaire = document.getElementById("questionnaire");
    if (questionnaire && window.htmx) { window.htmx.trigger(questionnaire, "change"); }
    return Promise.resolve();
  }

  document.addEventListener("htmx:sendError", renderLocalScore);
  document.addEventListener("htmx:responseError", function (e) {
    if (!e.detail || !e.detail.xhr || e.detail.xhr.status === 0 || e.detail.xhr.status >= 500) { renderLocalScore(); }
  });

  function control(target) { return target && target.name && !target.matches("input[type=file]"); }
  form.addEventListener("input", function (e) { if (control(e.target)) { save(); } });
  form.addEventListener("change", function (e) {
    if (!control(e.target)) { return; }
    save();
    if (!navigator.onLine) { renderLocalScore(); }
  });
  window.addEventListener("pagehide", function () { if (form.dataset.touched) { save(); } });
  form.addEventListener("input", function () { form.dataset.touched = "1"; });
  window.addEventListener("online", function () { sync(); });
  setInterval(function () { if (current && current.state === "local") { sync(); } }, 15000);

  /* saving through the page: the draft stays until the server has the record */
  form.addEventListener("submit", function (e) {
    if (e.defaultPrevented || form.dataset.offlinePosting) { return; }
    e.preventDefault();
    var submitter = e.submitter;
    if (!navigator.onLine) {
      save().then(function () { showState("local", text("offlineDetail")); });
      return;
    }
    save().then(function () { return drafts.get(KEY); }).then(function (draft) {
      draft.state = "posted";
      return drafts.put(draft).then(function () { return draft; });
    }).then(function (draft) {
      if (draft.assessment && form.dataset.editUrl) {
        form.action = form.dataset.editUrl.replace("/0/", "/" + draft.assessment + "/");
      }
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.dataset.offlinePosting = "1";
      HTMLFormElement.prototype.submit.call(form);
    }).catch(function () { HTMLFormElement.prototype.submit.call(form); });
  });

  /* opening the page: the draft kept on this device comes back */
  cleared.then(function () { return drafts.get(KEY); }).then(function (draft) {
    if (draft) {
      if (draft.state === "posted") { draft.state = "local"; }
      current = draft;
      var pageVersion = form.dataset.version || "";
      if (draft.state !== "synced" || !pageVersion || pageVersion !== draft.version) { apply(draft.fields); }
      return drafts.put(draft).then(function () {
        render(draft);
        form.dataset.restored = "1";
        return listPhotos();
      }).then(function () {
        if (!navigator.onLine) { renderLocalScore(); } else { refreshScore(); }
        return sync();
      });
    }
    showState("new", "");
    form.dataset.restored = "0";
    if (!navigator.onLine) { renderLocalScore(); }
  }).catch(function () {});
})();
