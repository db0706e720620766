/* The globals iframe-worker gives a worker running in an iframe (from iframe-worker 1.0.4 by
   Martin Donath, MIT licence), as a file rather than an inline script so that the site's
   Content-Security-Policy, which allows no unhashed inline script, lets it run. */
"use strict";
(function () {
  var worker = document.currentScript.dataset.worker;
  window.postMessage = function (message, origin) { parent.postMessage(message, origin || "*"); };
  window.importScripts = function () {
    return Array.prototype.reduce.call(arguments, function (done, src) {
      return done.then(function () {
        return new Promise(function (resolve) {
          var s = document.createElement("script");
          s.src = src; s.onload = resolve; document.body.appendChild(s);
        });
      });
    }, Promise.resolve());
  };
  addEventListener("error", function (event) {
    parent.dispatchEvent(new ErrorEvent("error", { filename: worker, error: event.error }));
  });
})();
