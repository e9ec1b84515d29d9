// Send Django's CSRF token with every HTMX request.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
});

// Long synchronous form posts (e.g. a dry run over a large file): show that work is under way.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset || !form.dataset.busy) return;
  const button = form.querySelector("button[type=submit]");
  if (button) {
    button.setAttribute("aria-busy", "true");
    button.textContent = form.dataset.busy;
  }
});

// The site menu (templates/base.html) is a <details>: folded behind "Menu" on narrow screens,
// always open on wide ones (the same width as the CSS breakpoint in app.css).
(() => {
  const menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  const wide = window.matchMedia("(min-width: 900px)");
  const sync = () => { menu.open = wide.matches; };
  sync();
  wide.addEventListener("change", sync);
})();

// <select data-autosubmit>: submit its form on change (no inline handlers: the CSP forbids them).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
