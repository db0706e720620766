/* Evidence map: filters by source document, year range and study design, and a
   panel with the studies behind a cell. Progressive enhancement only: without this
   script the table's counts link to the lists of studies further down the page. */
(function () {
  "use strict";
  var form = document.getElementById("pb-map-filter");
  var panel = document.getElementById("pb-map-panel");
  if (!form || !panel) return;
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.pb-map-cell"));
  var status = form.querySelector(".pb-filter__status");
  var opener = null;

  function matches(li) {
    var f = form.elements, year = parseInt(li.dataset.year, 10);
    var design = f.design.value, source = f.source.value;
    if (source && (" " + li.dataset.sources + " ").indexOf(" " + source + " ") < 0) return false;
    if (design && (" " + li.dataset.designs + " ").indexOf(" " + design + " ") < 0) return false;
    if (f.from.value && !(year >= parseInt(f.from.value, 10))) return false;
    if (f.to.value && !(year <= parseInt(f.to.value, 10))) return false;
    return true;
  }

  function studies(section) {
    return Array.prototype.slice.call(section.querySelectorAll("ul.pb-map-studies > li"));
  }

  function apply() {
    var filtered = Array.prototype.some.call(form.elements, function (el) { return el.value; });
    var cells = 0, total = 0;
    sections.forEach(function (section) {
      var shown = 0;
      studies(section).forEach(function (li) {
        li.hidden = !matches(li);
        if (!li.hidden) shown += 1;
      });
      section.hidden = shown === 0;
      if (shown) cells += 1;
      total += shown;
      document.querySelectorAll('[data-cell="' + section.id + '"]').forEach(function (el) {
        var link = el.tagName === "A" ? el : el.querySelector("a.pb-map__count");
        var cell = el.tagName === "A" ? el.parentNode : el;
        if (!link) return;
        link.hidden = shown === 0;
        link.querySelector(".pb-map__n").textContent = shown;
        link.querySelector(".pb-map__unit").textContent = shown === 1 ? "study" : "studies";
        var note = cell.querySelector(".pb-map__filtered");
        if (!shown && !note) {
          note = document.createElement("span");
          note.className = "pb-map__filtered";
          note.textContent = "No studies match the filters";
          cell.insertBefore(note, link);
        } else if (shown && note) {
          note.remove();
        }
        var confidence = cell.querySelector(".pb-map__confidence");
        if (confidence) confidence.hidden = shown === 0;
        cell.classList.toggle("pb-map__cell--filtered", filtered && shown === 0);
      });
    });
    status.textContent = filtered ? "Showing " + cells + " cells with " + total + " study citations that match the filters."
      : "Showing all studies.";
    if (!panel.hidden && opener) open(opener, false);
  }

  function open(link, focus) {
    var section = document.getElementById(link.getAttribute("href").slice(1));
    if (!section) return;
    opener = link;
    panel.querySelector(".pb-map-panel__title").textContent = section.querySelector("h4").textContent;
    var body = panel.querySelector(".pb-map-panel__body");
    body.innerHTML = "";
    var summary = document.createElement("p");
    var shown = studies(section).filter(function (li) { return !li.hidden; });
    summary.textContent = shown.length + (shown.length === 1 ? " study" : " studies") + ". " +
      section.querySelector(".pb-map-cell__summary").textContent.replace(/^[^.]*\.\s*/, "");
    body.appendChild(summary);
    var list = document.createElement("ul");
    list.className = "pb-map-studies";
    shown.forEach(function (li) {
      var copy = li.cloneNode(true);
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      list.appendChild(copy);
    });
    body.appendChild(list);
    panel.hidden = false;
    if (focus) panel.focus();
  }

  function close() {
    panel.hidden = true;
    if (opener) opener.focus();
    opener = null;
  }

  document.querySelectorAll("a.pb-map__count").forEach(function (link) {
    link.addEventListener("click", function (e) {
      e.preventDefault();
      open(link, true);
    });
  });
  panel.querySelector(".pb-map-panel__close").addEventListener("click", close);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") close();
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
