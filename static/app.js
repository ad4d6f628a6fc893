/*
 * Reti — our own small progressive enhancements. The only script a page loads
 * (deferred): Bootstrap Italia's JS bundle is not shipped, see
 * docs/decisions/0009-static-assets-built-hashed-compressed-cached.md.
 *
 * The Content-Security-Policy allows scripts and styles from 'self' only: no
 * inline <script>, no style="" attributes, no injected <style> elements, so
 * this file only toggles classes that app.css and Bootstrap Italia's CSS style.
 *
 * Every page must work without this file (noscript.css shows the phone menu
 * as a plain list).
 */
(function () {
  'use strict';

  // <form data-confirm="Eliminare questa riunione?"> asks before submitting.
  // The message comes from the server, already translated.
  document.addEventListener(
    'submit',
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var message = form.getAttribute('data-confirm');
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // The phone menu: the burger opens the off-canvas panel of Bootstrap
  // Italia's header (`.navbar-collapsable`), the close button, the overlay and
  // Escape close it. `reti-menu-open` shows the panel; `expanded` (Bootstrap
  // Italia's class) slides it in, one frame later so the transition plays.
  var toggler = document.querySelector('[data-bs-toggle="navbarcollapsible"]');
  var panel = toggler && document.querySelector(toggler.getAttribute('data-bs-target'));
  if (!panel) return;

  function open() {
    panel.classList.add('reti-menu-open');
    toggler.setAttribute('aria-expanded', 'true');
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        panel.classList.add('expanded');
        var first = panel.querySelector('a.nav-link');
        if (first) first.focus();
      });
    });
  }

  function close() {
    if (!panel.classList.contains('reti-menu-open')) return;
    panel.classList.remove('expanded', 'reti-menu-open');
    toggler.setAttribute('aria-expanded', 'false');
    toggler.focus();
  }

  toggler.addEventListener('click', open);
  panel.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && (target.closest('.close-menu') || target.classList.contains('overlay'))) close();
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') close();
  });
})();
