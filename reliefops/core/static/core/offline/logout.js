/* Logging out clears what the offline pages kept on this device (docs/offline.md).
 *
 * The layout's logout form carries data-offline-logout (the text of the question asked
 * when records still wait to be sent, with %(count)s). On submit: if records of the
 * offline queue have not reached the server, ask first (cancel: stay logged in); then
 * stop the page's queue, delete the queue's IndexedDB database and every cache of the
 * service worker ("reliefops-…": the kept pages and the app shell), unregister the worker
 * (the next visit installs it afresh), and log out. Without JavaScript
 * there is no worker and no queue, so nothing is kept to clear.
 */
(function () {
  "use strict";
  var DATABASE = "reliefops-offline";
  var STORE = "submissions";
  var PREFIX = "reliefops-";
  var UNSENT = ["queued", "login", "refused", "conflict"];

  function databaseExists() {
    if (!window.indexedDB) { return Promise.resolve(false); }
    if (!indexedDB.databases) { return Promise.resolve(true); }
    return indexedDB.databases().then(function (list) {
      return list.some(function (d) { return d.name === DATABASE; });
    }, function () { return true; });
  }

  function unsentCount() {
    return databaseExists().then(function (exists) {
      if (!exists) { return 0; }
      return new Promise(function (resolve) {
        var request = indexedDB.open(DATABASE);
        request.onerror = function () { resolve(0); };
        request.onsuccess = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(STORE)) { db.close(); resolve(0); return; }
          var all = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
          all.onsuccess = function () {
            db.close();
            resolve(all.result.filter(function (r) { return UNSENT.indexOf(r.state) >= 0; }).length);
          };
          all.onerror = function () { db.close(); resolve(0); };
        };
      });
    });
  }

  function clearAll() {
    // The page's queue stops first (no send, no refresh may reopen what is deleted).
    if (window.ReliefOpsOffline && window.ReliefOpsOffline.stop) { window.ReliefOpsOffline.stop(); }
    var jobs = [];
    if (window.indexedDB) {
      jobs.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DATABASE);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; })
          .map(function (n) { return caches.delete(n); }));
      }));
    }
    // The worker goes too: the next visit installs it afresh (it holds no data).
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (list) {
        return Promise.all(list.map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(jobs).catch(function () { return null; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-logout")) { return; }
    if (form.dataset.offlineCleared === "1") { return; }
    event.preventDefault();
    unsentCount().then(function (count) {
      var question = form.getAttribute("data-offline-logout") || "";
      if (count > 0 && !window.confirm(question.replace("%(count)s", String(count)))) {
        return;
      }
      clearAll().then(function () {
        form.dataset.offlineCleared = "1";
        form.submit();
      });
    });
  }, true);
})();
