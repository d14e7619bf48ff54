/* The page shell's disclosure buttons: the phone menu and the user menu.
 *
 * A button with data-disclosure and aria-controls opens and closes the element it
 * controls (class "open", aria-expanded on the button). Escape closes what is open and
 * returns the focus to its button; a click outside closes a "dropdown" (the user menu).
 * Loaded in <head>: it marks <html> with the class "js" before the page is drawn, so the
 * menus start closed; without JavaScript the CSS shows them open instead.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function panelOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var panel = panelOf(button);
    if (panel) {
      panel.classList.toggle("open", open);
    }
  }

  function openButtons() {
    return document.querySelectorAll('[data-disclosure][aria-expanded="true"]');
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("[data-disclosure]");
    openButtons().forEach(function (other) {
      var panel = panelOf(other);
      var inside = panel && target && panel.contains(target);
      if (other !== button && other.dataset.disclosure === "dropdown" && !inside) {
        setOpen(other, false);
      }
    });
    if (button) {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openButtons().forEach(function (button) {
      var panel = panelOf(button);
      var focusInside = panel && panel.contains(document.activeElement);
      setOpen(button, false);
      if (focusInside) {
        button.focus();
      }
    });
  });
})();
