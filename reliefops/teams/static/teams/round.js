/* The round page: when HTMX brings a recorded stop in, update the progress line. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:load", function () {
    var stops = document.querySelectorAll("#stops .stop");
    var done = document.querySelectorAll("#stops .stop.done");
    var line = document.getElementById("round-progress");
    if (line && stops.length) {
      line.textContent = line.textContent.replace(/\d+(\D+)\d+/, done.length + "$1" + stops.length);
    }
  });
})();
