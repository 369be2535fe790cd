// The site navigation behind a Menu button at phone width (the CSS decides when the button shows).
// Without this script the button stays hidden and the links stay open.
(function () {
  "use strict";

  function parts() {
    return {
      button: document.querySelector(".site-header [aria-controls=site-nav]"),
      nav: document.getElementById("site-nav"),
    };
  }

  function setOpen(open) {
    const { button, nav } = parts();
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("collapsed", !open);
  }

  // Runs again after a boosted form swaps the body, header included.
  function init() {
    const { button, nav } = parts();
    if (!button || !nav || !button.hidden) return;
    document.querySelector(".site-header").classList.add("has-menu");
    button.hidden = false;
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // A cloud's sections scroll sideways at phone width: bring the current one into the strip.
    const current = document.querySelector(".cloud-nav a[aria-current]");
    if (current) {
      const strip = current.closest("ul");
      strip.scrollLeft = current.offsetLeft - strip.offsetLeft - strip.clientWidth / 3;
    }
  }

  // Escape closes an open menu and puts focus back on its button, as a disclosure should.
  document.addEventListener("keydown", function (event) {
    const { button, nav } = parts();
    if (event.key !== "Escape" || !button || button.getAttribute("aria-expanded") !== "true") return;
    if (nav.contains(document.activeElement) || document.activeElement === button) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("htmx:afterSettle", init);
  init();
})();
