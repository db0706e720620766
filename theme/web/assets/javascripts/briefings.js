/* Permanence Briefings: citation and glossary previews, recommendation filters.
   Progressive enhancement only: every page works without this script. */
(function () {
  "use strict";

  /* Previews: citations show every full reference they cite, abbreviations their expansion,
     on hover and on keyboard focus. Hoverable, dismissed with Escape (WCAG 1.4.13).
     On a touch screen a tap opens the preview in place, with a link to each source's
     bibliography entry; a tap elsewhere closes it. A note style's marker (a number linking to
     its note at the foot of the page) previews the note itself, as it is formatted there. */
  var tip = null, owner = null, timer = null, pointer = "mouse", marks = 0;
  var compact = document.querySelector('meta[name="pb-citations"][content="compact"]') !== null;

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

  function paragraph(text, className) {
    var p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    return p;
  }

  /* With links (after a tap), the preview is a small labelled group instead of a tooltip. */
  function show(el, links) {
    if (owner === el && Boolean(tip.dataset.links) === links) { clearTimeout(timer); return; }
    hide();
    tip = document.createElement("div");
    tip.id = "pb-tip";
    tip.className = "pb-tip";
    var note = el.matches("a.citation.note") && document.getElementById(el.hash.slice(1));
    if (note) {
      var p = tip.appendChild(document.createElement("p"));
      p.appendChild(note.querySelector(".pb-note__text").cloneNode(true));
      if (links) {
        p.appendChild(document.createTextNode(" "));
        p.appendChild(note.querySelector(".pb-note__refs").cloneNode(true));
      }
    }
    if (el.dataset.pbCite) tip.appendChild(paragraph(el.dataset.pbCite, "pb-tip__cite"));
    var sources = note ? [] : el.getAttribute("data-pb-tip").split(/\n\s*\n/);
    var keys = (el.getAttribute("data-cites") || "").split(" ").filter(Boolean);
    sources.forEach(function (text, i) {
      var p = tip.appendChild(paragraph(text));
      if (!links) return;
      var a = document.createElement("a");
      a.href = keys.length === sources.length ? el.href.split("#")[0] + "#ref-" + keys[i] : el.href;
      a.textContent = "Bibliography entry";
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    });
    if (links) {
      tip.dataset.links = "1";
      tip.setAttribute("role", "group");
      tip.setAttribute("aria-label", "Sources");
    } else {
      tip.setAttribute("role", "tooltip");
      el.setAttribute("aria-describedby", "pb-tip");
    }
    tip.addEventListener("mouseenter", function () { clearTimeout(timer); });
    tip.addEventListener("mouseleave", function () { if (!tip.dataset.links) hideSoon(); });
    document.body.appendChild(tip);
    owner = el;
    place(el);
  }

  /* `citations: compact`: a superscript number per citation; its preview starts with the
     citation in full, and print shows the citation in full (see briefings.css). */
  function compactCitation(el) {
    marks += 1;
    var full = el.textContent;
    el.dataset.pbCite = full;
    el.setAttribute("aria-label", "Source " + marks + ": " + full);
    el.classList.add("pb-cite--compact");
    var span = document.createElement("span");
    span.className = "pb-cite__full";
    while (el.firstChild) span.appendChild(el.firstChild);
    var mark = document.createElement("sup");
    mark.className = "pb-cite__mark";
    mark.textContent = marks;
    mark.setAttribute("aria-hidden", "true");
    el.appendChild(span);
    el.appendChild(mark);
    var before = el.previousSibling;  // the number sits against the word it follows
    // and a comma that separated the citation from what precedes it goes ("From APSW KEE 4 (2021)¹.")
    if (before && before.nodeType === Node.TEXT_NODE) before.data = before.data.replace(/,?\s+$/, "");
  }

  document.addEventListener("pointerdown", function (e) {
    pointer = e.pointerType;
    if (tip && tip.dataset.links && !tip.contains(e.target) && !owner.contains(e.target)) hide();
  }, true);

  document.querySelectorAll("a.citation[title], a.xref[title], abbr[title]").forEach(function (el) {
    el.setAttribute("data-pb-tip", el.getAttribute("title"));
    el.removeAttribute("title");
    if (el.tagName === "ABBR") el.tabIndex = 0;
    if (compact && el.matches("a.citation:not(.note)") && !el.closest(".pb-references, .pb-bibliography")) {
      compactCitation(el);
    }
    el.addEventListener("mouseenter", function () { if (pointer !== "touch") show(el, false); });
    el.addEventListener("mouseleave", function () { if (!(tip && tip.dataset.links)) hideSoon(); });
    el.addEventListener("focus", function () { if (pointer !== "touch") show(el, false); });
    el.addEventListener("blur", function (e) {
      if (!(tip && (tip.dataset.links || tip.contains(e.relatedTarget)))) hide();
    });
    if (el.tagName === "A" && el.matches(".citation")) {
      el.addEventListener("click", function (e) {
        if (pointer !== "touch" || (owner === el && tip.dataset.links)) return;  // a second tap follows the link
        e.preventDefault();
        show(el, true);
      });
    } else if (el.tagName === "ABBR") {
      el.addEventListener("click", function () { if (pointer === "touch") show(el, false); });
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
  window.addEventListener("resize", function () { if (!(tip && tip.dataset.links)) hide(); });

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
