/* Zensical 0.0.73 only (docs/engines.md): its search dialog lives in an open shadow root that
   our stylesheet cannot reach. Two accessibility fixes inside it:
   - each result's breadcrumb is grey at 3.4:1; darken it to 7:1 (WCAG 1.4.3);
   - each result is named by its title alone though it shows the path and an excerpt too; let
     its name be all the text it shows (WCAG 2.5.3, label in name). */
(function () {
  "use strict";
  var CSS = 'menu[id$="-path"] { color: rgb(var(--color-foreground) / .68); }';

  function nameByContent(root) {
    root.querySelectorAll('a[role="option"][aria-labelledby]').forEach(function (a) {
      a.removeAttribute("aria-labelledby");
      a.removeAttribute("aria-describedby");  // the path is now part of the name
    });
  }

  function mend(host) {
    var root = host.shadowRoot;
    if (!root || root.pbMended) return;
    root.pbMended = true;
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
    new MutationObserver(function () { nameByContent(root); }).observe(root, { childList: true, subtree: true });
    nameByContent(root);
  }

  Array.prototype.forEach.call(document.body.children, mend);
  new MutationObserver(function (changes) {
    changes.forEach(function (c) { Array.prototype.forEach.call(c.addedNodes, function (n) { if (n.nodeType === 1) mend(n); }); });
  }).observe(document.body, { childList: true });
})();
