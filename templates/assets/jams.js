/*
 * Jamie organizer pages. Loaded with `defer` on every page; does nothing where
 * its markup is absent. Plain ES2017, no dependencies, no inline handlers:
 * CSP-safe (script-src 'self').
 *
 * 1. input[data-browser-time-zone]: when empty, filled with the browser's
 *    IANA time zone (Intl), so a new series starts in the organizer's zone.
 * 2. button[data-copy-target="ID"]: copies the value (or text) of #ID to the
 *    clipboard and says "Copied" for a moment; button[data-copy-text="…"]
 *    copies its attribute (a session's link in a list). A read-only
 *    input[data-select-on-focus] selects its whole value when focused.
 * 3. button[data-place-id][data-place-text] (htmx place suggestions): copies
 *    the id into input[name=place_id] and the text into input[name=address]
 *    of the same form, then clears #place-suggestions.
 * 4. button[data-print] (check-in list): rendered hidden, shown here, prints
 *    the page on click.
 * 5. textarea[data-count="ID"][maxlength]: #ID says how many characters are
 *    typed, "12 of 1,000 characters", as they are typed.
 * Clicks are delegated from the document, so buttons swapped in by htmx work.
 */
(function () {
  "use strict";

  function fillTimeZones(root) {
    let zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return; // no Intl: the organizer types the zone
    }
    if (!zone) return;
    const inputs = root.querySelectorAll("input[data-browser-time-zone]");
    for (const input of inputs) {
      if (!input.value) input.value = zone;
    }
  }

  // The button's text lives in a [data-copy-label] span (beside its icon), if it has one.
  function flash(button, label) {
    const text = button.querySelector("[data-copy-label]") || button;
    if (text.dataset.original === undefined) text.dataset.original = text.textContent;
    text.textContent = label;
    clearTimeout(button.jamieCopyTimer);
    button.jamieCopyTimer = setTimeout(function () {
      text.textContent = text.dataset.original;
      delete text.dataset.original;
    }, 2000);
  }

  async function copy(button) {
    const given = button.getAttribute("data-copy-text");
    const target = document.getElementById(button.getAttribute("data-copy-target"));
    if (given === null && !target) return;
    const text = given !== null ? given : "value" in target ? target.value : target.textContent;
    try {
      await navigator.clipboard.writeText(text);
      flash(button, "Copied");
    } catch (e) {
      // No clipboard access (http, old browser): select it for a manual copy.
      if (target && target.select) {
        target.select();
        flash(button, "Selected");
      } else {
        window.prompt("Copy this link:", text);
      }
    }
  }

  function choosePlace(button) {
    const scope = button.closest("form") || document;
    const id = scope.querySelector("input[name=place_id]");
    const address = scope.querySelector("input[name=address]");
    if (id) id.value = button.getAttribute("data-place-id") || "";
    if (address) {
      address.value = button.getAttribute("data-place-text") || "";
      address.dispatchEvent(new Event("change", { bubbles: true }));
    }
    const list = document.getElementById("place-suggestions");
    if (list) list.textContent = "";
    if (address) address.focus();
  }

  document.addEventListener("click", function (event) {
    const target = event.target;
    if (!target || !target.closest) return;
    const copyButton = target.closest("button[data-copy-target], button[data-copy-text]");
    if (copyButton) {
      event.preventDefault();
      copy(copyButton);
      return;
    }
    const place = target.closest("button[data-place-id]");
    if (place) {
      event.preventDefault();
      choosePlace(place);
      return;
    }
    if (target.closest("button[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("focusin", function (event) {
    const input = event.target;
    if (input && input.matches && input.matches("input[data-select-on-focus]")) input.select();
  });

  // Characters as the server counts them (code points), not UTF-16 units.
  function countCharacters(textarea) {
    const out = document.getElementById(textarea.getAttribute("data-count"));
    if (!out) return;
    const max = Number(textarea.getAttribute("maxlength") || 0);
    out.textContent =
      Array.from(textarea.value).length + " of " + max.toLocaleString("en") + " characters";
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (input && input.matches && input.matches("textarea[data-count]")) countCharacters(input);
  });

  function showPrintButtons(root) {
    for (const button of root.querySelectorAll("button[data-print]")) button.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      fillTimeZones(document);
      showPrintButtons(document);
    });
  } else {
    fillTimeZones(document);
    showPrintButtons(document);
  }
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelectorAll) fillTimeZones(event.target);
  });
})();
