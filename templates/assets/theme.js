/*
 * Jamie theme switcher. Load in <head> without defer/async so the saved theme
 * is applied before the first paint.
 *
 * Choice: cookie `jamie_theme` = light | dark | system.
 *   light/dark -> <html data-theme="light|dark"> (forces that daisyUI theme)
 *   system     -> no data-theme attribute (CSS follows prefers-color-scheme)
 *
 * Markup (works without JS; the server handles the POST and sets the cookie):
 *   <form method="post" action="/preferences/theme">
 *     <button type="submit" name="theme" value="light"
 *             data-theme-choice="light" aria-pressed="false">Light</button>
 *     ... same for "dark" and "system" ...
 *   </form>
 * With JS, a click on any [data-theme-choice] element is handled here instead
 * of posting the form.
 *
 * Also (every page loads this file, so it costs no request of its own): when a
 * form comes back with errors, focus lands on its first invalid field
 * ([aria-invalid="true"]), else on the error message ([role="alert"]), and
 * scrolls it into view, so a message low on a long page is not missed. Clicks are delegated from the document, so buttons
 * swapped in later (htmx) work too. No inline handlers, no eval: CSP-safe.
 */
(function () {
  "use strict";

  var COOKIE = "jamie_theme";
  var CHOICES = ["light", "dark", "system"];
  var root = document.documentElement;

  function valid(value) {
    return CHOICES.indexOf(value) !== -1;
  }

  function readCookie() {
    var cookies;
    try {
      cookies = document.cookie ? document.cookie.split(";") : [];
    } catch (e) {
      return null; // cookies blocked (sandboxed frame, privacy settings)
    }
    for (var i = 0; i < cookies.length; i++) {
      var part = cookies[i];
      var eq = part.indexOf("=");
      if (eq === -1) continue;
      if (part.slice(0, eq).trim() !== COOKIE) continue;
      var value = part.slice(eq + 1).trim();
      return valid(value) ? value : null;
    }
    return null;
  }

  function writeCookie(value) {
    var cookie =
      COOKIE + "=" + value + "; Path=/; Max-Age=31536000; SameSite=Lax";
    if (window.location && window.location.protocol === "https:") {
      cookie += "; Secure";
    }
    try {
      document.cookie = cookie;
    } catch (e) {
      /* the choice still applies to this page */
    }
  }

  function apply(value) {
    if (value === "light" || value === "dark") {
      root.setAttribute("data-theme", value);
    } else {
      root.removeAttribute("data-theme");
    }
  }

  // The current choice as shown on the page: the attribute wins (the server
  // may have rendered it), otherwise "system".
  function current() {
    var theme = root.getAttribute("data-theme");
    return theme === "light" || theme === "dark" ? theme : "system";
  }

  function syncButtons(value) {
    if (!document.querySelectorAll) return;
    var buttons = document.querySelectorAll("[data-theme-choice]");
    for (var i = 0; i < buttons.length; i++) {
      var choice = buttons[i].getAttribute("data-theme-choice");
      buttons[i].setAttribute("aria-pressed", choice === value ? "true" : "false");
    }
  }

  function onClick(event) {
    var target = event.target;
    if (!target || !target.closest) return;
    var button = target.closest("[data-theme-choice]");
    if (!button || button.disabled) return;
    var value = button.getAttribute("data-theme-choice");
    if (!valid(value)) return;
    event.preventDefault();
    apply(value);
    writeCookie(value);
    syncButtons(value);
  }

  function focusFirstError() {
    if (!document.querySelector) return;
    // A form that posts to "…#its-id" comes back there: look inside it. Any other anchor
    // (a notice, a row) is where the page meant to land, so leave it alone.
    var scope = document.querySelector("main");
    var id = window.location.hash.slice(1);
    if (id) {
      scope = document.getElementById(id);
      if (!scope || !scope.querySelector('[aria-invalid="true"], [role="alert"]')) return;
    }
    if (!scope) return;
    var target =
      scope.querySelector('[aria-invalid="true"]') ||
      scope.querySelector('[role="alert"]');
    if (!target) return;
    if (!target.matches("input, select, textarea, button, a[href]")) {
      target.setAttribute("tabindex", "-1");
    }
    try {
      target.focus({ preventScroll: true });
    } catch (e) {
      target.focus();
    }
    if (target.scrollIntoView) target.scrollIntoView({ block: "center" });
  }

  // 1. Apply the saved choice at once (before the body renders).
  var saved = readCookie();
  if (saved) apply(saved);

  // 2. Handle clicks (delegated) and mark the pressed button once the DOM is
  //    there, and again after htmx swaps new content in.
  if (document.addEventListener) {
    document.addEventListener("click", onClick);
    var sync = function () {
      syncButtons(current());
    };
    var ready = function () {
      sync();
      if (window.location.hash) {
        // The browser settles a "#…" address after load and clears focus when the anchor
        // itself cannot take it: focus once it has.
        window.addEventListener("load", function () {
          setTimeout(focusFirstError, 0);
        });
      } else {
        focusFirstError();
      }
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", ready);
    } else {
      ready();
    }
    document.addEventListener("htmx:load", sync);
  }
})();
