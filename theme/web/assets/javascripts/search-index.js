/* The site ships its search index once, as the script both engines load from file://
   (`var __index = {...}`: search/search_index.js on Material, search.js on Zensical). Over
   http both engines would ask for a JSON copy instead (search/search_index.json, search.json),
   which the build deletes: this answers that request from the script. Loaded before the
   engine's bundle, as a polyfill. */
"use strict";
(function () {
  var JSON_INDEX = /\/(search\/search_index|search)\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var loaded = null;

  function script(src) {
    if (!loaded) {
      loaded = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.__index); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loaded;
  }

  function answer(xhr, fields, type) {
    Object.keys(fields).forEach(function (name) {
      Object.defineProperty(xhr, name, { configurable: true, value: fields[name] });
    });
    xhr.dispatchEvent(new ProgressEvent(type));
    xhr.dispatchEvent(new ProgressEvent("loadend"));
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    var href = new URL(url, location.href);
    this.__script = method === "GET" && JSON_INDEX.test(href.pathname) ? href.href.replace(/\.json$/, ".js") : null;
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    var xhr = this;
    if (!xhr.__script) return send.apply(xhr, arguments);
    script(xhr.__script).then(
      function (index) {
        var body = new Blob([JSON.stringify(index)], { type: "application/json" });
        answer(xhr, { readyState: 4, status: 200, statusText: "OK", response: body }, "load");
      },
      function () {
        answer(xhr, { readyState: 4, status: 0, statusText: "" }, "error");
      }
    );
  };
})();
