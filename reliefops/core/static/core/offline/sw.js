/* The ReliefOps service worker (docs/offline.md). Served by /sw.js, which puts its
 * configuration in front of this file as self.RELIEFOPS_OFFLINE:
 *   version   a hash of the shell's static files (and of this file)
 *   prefix    every cache this worker makes starts with it
 *   shell     the cache of the app shell (static files), named after the version
 *   pages     the cache of the offline pages, named after the version
 *   assets    the shell's URLs, kept at install
 *   patterns  the paths of the pages a phone keeps (regular expressions)
 *
 * What it does:
 *   - the shell's static files: from the cache, else from the network;
 *   - the registered pages (GET, not an HTMX fragment): from the network, the answer
 *     kept for later; without a network, the kept copy;
 *   - everything else (the API, every other page, any POST): not touched — the browser
 *     fetches it as if there were no worker, and nothing of it is kept.
 * Messages from a page: {type: "page", user, url} — a page of `user` at `url` is shown:
 * the pages another user's session kept are dropped, and the page is kept if it is not
 * yet (its first visit came before the worker was ready); {type: "clear"} drops every
 * cache (logout). A message with a port is answered {done: true} when it is done.
 */
(function () {
  "use strict";
  var CONFIG = self.RELIEFOPS_OFFLINE;
  var PATTERNS = CONFIG.patterns.map(function (p) { return new RegExp(p); });
  var OWNER_KEY = "/__reliefops_offline_owner__";
  var ASSETS = {};
  CONFIG.assets.forEach(function (url) {
    ASSETS[new URL(url, self.location.origin).href] = true;
  });

  function isPage(url) {
    return PATTERNS.some(function (re) { return re.test(url.pathname); });
  }

  function pageKey(url) {
    return url.origin + url.pathname; // a page is kept once, whatever its query
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(CONFIG.shell).then(function (cache) {
        return cache.addAll(CONFIG.assets.map(function (url) {
          return new Request(url, { cache: "reload", credentials: "same-origin" });
        }));
      }).then(function () { return self.skipWaiting(); })
    );
  });

  // A new version: the pages an older one kept are fetched again (they name the new
  // static files); a page that cannot be fetched now keeps its old copy, and then the old
  // shell stays too, until a later version finds every page fetchable.
  function carryOver(oldPages, fresh) {
    return caches.open(oldPages).then(function (old) {
      return old.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) {
          if (new URL(request.url).pathname === OWNER_KEY) {
            return old.match(request).then(function (r) { return fresh.put(request, r); });
          }
          var again = new Request(request.url, { credentials: "same-origin" });
          return fetch(again).then(function (response) {
            if (keepable(again, response)) { return fresh.put(request, response).then(function () { return true; }); }
            return true; // gone or no longer allowed: not kept
          }, function () {
            return old.match(request).then(function (r) { return fresh.put(request, r); })
              .then(function () { return false; });
          });
        }));
      });
    }).then(function (results) { return results.every(function (ok) { return ok !== false; }); });
  }

  self.addEventListener("activate", function (event) {
    var current = [CONFIG.shell, CONFIG.pages];
    event.waitUntil(
      Promise.all([caches.keys(), caches.open(CONFIG.pages)]).then(function (both) {
        var names = both[0].filter(function (name) {
          return name.indexOf(CONFIG.prefix) === 0 && current.indexOf(name) < 0;
        });
        var oldPages = names.filter(function (n) { return n.indexOf(CONFIG.prefix + "pages-") === 0; });
        return Promise.all(oldPages.map(function (n) { return carryOver(n, both[1]); }))
          .then(function (done) {
            var keepOldShells = done.some(function (ok) { return !ok; });
            return Promise.all(names.filter(function (n) {
              return !(keepOldShells && n.indexOf(CONFIG.prefix + "shell-") === 0);
            }).map(function (n) { return caches.delete(n); }));
          });
      }).then(function () { return self.clients.claim(); })
    );
  });

  function fromShell(request) {
    // Any of this worker's caches: an older shell kept for a page that still names it.
    return caches.match(request).then(function (hit) {
      return hit || fetch(request);
    });
  }

  function keepable(request, response) {
    var type = response.headers.get("Content-Type") || "";
    return response.ok && response.status === 200 && !response.redirected &&
      response.type === "basic" && type.indexOf("text/html") === 0 &&
      !request.headers.get("HX-Request");
  }

  // The pages cache, if it exists: activation makes it; logout deletes it, and nothing
  // that was under way then (a fetch, a message) may bring it back.
  function pagesCache() {
    return caches.has(CONFIG.pages).then(function (has) {
      return has ? caches.open(CONFIG.pages) : null;
    });
  }

  function page(request, url) {
    return fetch(request).then(function (response) {
      if (keepable(request, response)) {
        var copy = response.clone();
        pagesCache().then(function (cache) {
          return cache ? cache.put(pageKey(url), copy) : null;
        });
      }
      return response;
    }, function (error) {
      return caches.open(CONFIG.pages).then(function (cache) {
        return cache.match(pageKey(url));
      }).then(function (hit) {
        if (hit) { return hit; }
        throw error; // never kept: the browser shows its own "no network" page
      });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") { return; }
    var url = new URL(request.url);
    if (url.origin !== self.location.origin) { return; }
    if (ASSETS[url.href]) {
      event.respondWith(fromShell(request));
    } else if (isPage(url) && !request.headers.get("HX-Request")) {
      event.respondWith(page(request, url));
    }
  });

  // A page of `user` at `keep` was shown: drop what another user's session kept, then
  // make sure this page is kept (its first visit came before the worker was ready).
  function ownPage(user, keep) {
    var keepUrl = new URL(keep, self.location.origin);
    var keepKey = pageKey(keepUrl);
    return pagesCache().then(function (cache) {
      if (!cache) { return null; }
      return cache.match(OWNER_KEY).then(function (hit) {
        return hit ? hit.text() : null;
      }).then(function (owner) {
        if (owner === user) { return null; }
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (r) {
            return r.url !== keepKey;
          }).map(function (r) { return cache.delete(r); }));
        }).then(function () {
          return cache.put(OWNER_KEY, new Response(user));
        });
      }).then(function () {
        if (!isPage(keepUrl)) { return null; }
        return cache.match(keepKey).then(function (hit) {
          if (hit) { return null; }
          var request = new Request(keepKey, { credentials: "same-origin" });
          return fetch(request).then(function (response) {
            return keepable(request, response) ? cache.put(keepKey, response) : null;
          }, function () { return null; });
        });
      });
    });
  }

  function clearAll() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CONFIG.prefix) === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  self.addEventListener("message", function (event) {
    var data = event.data || {};
    var done;
    if (data.type === "page" && typeof data.user === "string" && typeof data.url === "string") {
      done = ownPage(data.user, data.url);
    } else if (data.type === "clear") {
      done = clearAll();
    } else {
      return;
    }
    event.waitUntil(done.then(function () {
      if (event.ports && event.ports[0]) { event.ports[0].postMessage({ done: true }); }
    }));
  });
})();
