/* Small behaviours declared in markup, so that no page needs an inline script or an on…=""
   attribute (the Content Security Policy allows scripts from our own static files only). */
(function () {
  // <form data-confirm="Delete this?">: ask first. <form data-disable-on-submit>: one click only.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-disable-on-submit")) {
      var button = form.querySelector("button");
      if (button) setTimeout(function () { button.disabled = true; }, 0);  // after the browser took its value
    }
  });
  // <a data-lq-tab hx-get=…> in a nav list: the tab loaded by htmx becomes the active one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var link = event.detail.elt;
    if (!link || !link.hasAttribute || !link.hasAttribute("data-lq-tab")) return;
    link.closest("ul").querySelectorAll(".nav-link").forEach(function (a) {
      a.classList.toggle("active", a === link);
    });
  });
})();
