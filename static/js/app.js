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

// Tables never widen the page: a table not already in a scrolling box (.table-wrap / .table-scroll)
// is put in one, and every such box that can scroll is reachable by keyboard and named after its
// table's caption (templates should write the box themselves; this covers pages and swaps that don't).
(() => {
  const BOXES = ".table-wrap, .table-scroll";
  const label = (box) => {
    const caption = box.querySelector("caption");
    return (caption && caption.textContent.trim()) || box.dataset.label || document.title;
  };
  const prepare = (root) => {
    root.querySelectorAll("main table").forEach((table) => {
      if (table.closest(BOXES) || table.closest("table.stack")) return;
      if (table.classList.contains("stack")) return;
      const box = document.createElement("div");
      box.className = "table-wrap";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    root.querySelectorAll(BOXES).forEach((box) => {
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", label(box));
      }
    });
  };
  const start = () => {
    prepare(document);
    if (window.htmx) window.htmx.onLoad((element) => prepare(element.parentNode || element));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
