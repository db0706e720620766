/* Permanence Briefings: citation and glossary previews, recommendation filters.
   Progressive enhancement only: every page works without this script. */
(function () {
  "use strict";

  /* Previews: citations show the full reference, abbreviations their expansion,
     on hover and on keyboard focus. Hoverable, dismissed with Escape (WCAG 1.4.13). */
  var tip = null, owner = null, timer = null;

  function hide() {
    clearTimeout(timer);
    if (tip) tip.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    tip = owner = null;
  }

  function hideSoon() {
    clearTimeout(timer);
    timer = setTimeout(hide, 300);
  }

  function place(el) {
    var r = el.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.min(Math.max(8, r.left), width - tip.offsetWidth - 8);
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight && r.top - tip.offsetHeight - 6 > 0) {
      top = r.top - tip.offsetHeight - 6;
    }
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }

  function show(el) {
    if (owner === el) { clearTimeout(timer); return; }
    hide();
    tip = document.createElement("div");
    tip.id = "pb-tip";
    tip.className = "pb-tip";
    tip.setAttribute("role", "tooltip");
    el.getAttribute("data-pb-tip").split(/\n\s*\n/).forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      tip.appendChild(p);
    });
    tip.addEventListener("mouseenter", function () { clearTimeout(timer); });
    tip.addEventListener("mouseleave", hideSoon);
    document.body.appendChild(tip);
    el.setAttribute("aria-describedby", "pb-tip");
    owner = el;
    place(el);
  }

  document.querySelectorAll("a.citation[title], a.xref[title], abbr[title]").forEach(function (el) {
    el.setAttribute("data-pb-tip", el.getAttribute("title"));
    el.removeAttribute("title");
    if (el.tagName === "ABBR") el.tabIndex = 0;
    el.addEventListener("mouseenter", function () { show(el); });
    el.addEventListener("mouseleave", hideSoon);
    el.addEventListener("focus", function () { show(el); });
    el.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
  window.addEventListener("resize", hide);

  /* Recommendations: filter by route, theme, source, audience and words. */
  var form = document.getElementById("pb-filter");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("li.pb-rec[data-theme]"));
  var status = form.querySelector(".pb-filter__status");
  var params = new URLSearchParams(window.location.search);

  function has(list, value) {
    return !value || (" " + list + " ").indexOf(" " + value + " ") >= 0;
  }

  function apply() {
    var f = form.elements, words = f.text.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (li) {
      var ok = has(li.dataset.routes, f.route.value) && has(li.dataset.theme, f.theme.value) &&
        has(li.dataset.source, f.source.value) && has(li.dataset.audience, f.audience.value) &&
        (!words || li.textContent.toLowerCase().indexOf(words) >= 0);
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    document.querySelectorAll("ul.pb-rec-list[data-group]").forEach(function (ul) {
      var empty = !ul.querySelector("li.pb-rec:not([hidden])");
      ul.hidden = empty;
      var heading = document.getElementById(ul.dataset.group);
      if (heading) heading.hidden = empty;
    });
    status.textContent = "Showing " + shown + " of " + items.length + " recommendations.";
  }

  ["route", "theme", "source", "audience", "text"].forEach(function (name) {
    if (params.get(name)) form.elements[name].value = params.get(name);
  });
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
