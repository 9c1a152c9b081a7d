/* The portal's service worker (served at /sw.js with a root scope; docs/architecture.md, "The offline
 * evaluation form"). It keeps, for the signed-in evaluator only, the pages the offline manifest lists
 * (/assessments/offline/: the evaluation forms of their assigned enterprises), the portal's assets and the
 * scoring rules. Those are answered from the network first and from the cache when the network fails;
 * every other request goes to the network untouched. Logging out deletes the cache (static/js/offline.js).
 */
"use strict";

var CACHE = "sj-offline-v1";
var TIMEOUT_MS = 8000;  // a connection that hangs is as good as none: answer from the cache

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("sj-offline") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(response) {
  // Only a page actually served (not a redirect to the log-in page, not an error) is kept.
  return response && response.ok && !response.redirected && response.type === "basic";
}

function keep(manifestUrl) {
  return fetch(manifestUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!response.ok) { throw new Error("manifest " + response.status); }
    return response.json();
  }).then(function (manifest) {
    var urls = [].concat(manifest.pages || [], manifest.assets || [], manifest.data || []);
    var wanted = {};
    urls.forEach(function (u) { wanted[new URL(u, self.location.origin).href] = true; });
    return caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        // An enterprise no longer assigned: its page leaves the tablet.
        return Promise.all(requests.filter(function (r) { return !wanted[r.url]; })
          .map(function (r) { return cache.delete(r); }));
      }).then(function () {
        return Promise.all(urls.map(function (u) {
          return fetch(u, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
            if (keepable(response)) { return cache.put(u, response).then(function () { return 1; }); }
            return 0;
          }).catch(function () { return 0; });
        }));
      }).then(function (done) {
        return { kept: done.reduce(function (a, b) { return a + b; }, 0), wanted: urls.length, user: manifest.user };
      });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {}, port = event.ports && event.ports[0];
  function reply(message) { if (port) { port.postMessage(message); } }
  if (data.type === "keep" && data.manifest) {
    event.waitUntil(keep(data.manifest).then(reply, function (error) { reply({ error: String(error) }); }));
  } else if (data.type === "clear") {
    event.waitUntil(caches.delete(CACHE).then(function () { reply({ cleared: true }); }));
  }
});

function withTimeout(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, TIMEOUT_MS);
    promise.then(function (v) { clearTimeout(timer); resolve(v); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      if (!kept) { return fetch(request); }  // not kept for the tablet: the network as usual
      return withTimeout(fetch(request)).then(function (response) {
        if (keepable(response)) { cache.put(request, response.clone()); }
        return response;
      }).catch(function () { return kept; });
    });
  }));
});
