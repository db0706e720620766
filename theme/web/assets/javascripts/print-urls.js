/* Permanence Briefings: each internal link carries its public address in data-print-url,
   which the print stylesheet prints after it. The public address is the link resolved
   against the page's canonical URL, so the HTML needs no second copy of every link. */
(function () {
  "use strict";
  var canonical = document.querySelector('link[rel="canonical"]');
  if (!canonical) return;
  document.querySelectorAll("article a[href]").forEach(function (a) {
    var href = a.getAttribute("href");
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.indexOf("//") === 0) return;
    a.setAttribute("data-print-url", new URL(href, canonical.href).href);
  });
})();
