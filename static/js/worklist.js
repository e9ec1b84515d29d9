// Keyboard shortcuts for the collector's screens: a key shown on a button (data-key) presses it; on a
// <details data-key> it opens the form and puts the cursor in its first field. Keys typed into a field
// are left alone; Escape leaves the field so the shortcuts work again.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) {
    if (event.key === "Escape") target.blur();
    return;
  }
  const element = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
  if (!element) return;
  event.preventDefault();
  if (element.tagName === "DETAILS") {
    element.open = true;
    const field = element.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus();
  } else if (!element.disabled) {
    element.click();
  }
});
