// Import page: while the dry run found invalid rows, "Import" is enabled only with "skip invalid rows"
// ticked (the server refuses the same start either way).
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-skip-invalid]");
  if (!box) return;
  const button = box.form.querySelector("button[data-blocked]");
  if (button && button.dataset.blocked) button.disabled = !box.checked;
});
