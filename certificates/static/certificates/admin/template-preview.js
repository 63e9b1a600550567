// The preview buttons send the editor's form to a new tab. Wagtail's unsaved-changes warning
// takes every submit of the form for a save and stops warning; the changes are still unsaved,
// so it is switched on again right after a preview.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-certificate-preview]");
  if (!button || !button.form) {
    return;
  }
  const form = button.form;
  window.setTimeout(() => {
    form.setAttribute("data-w-unsaved-confirmation-value", "true");
  }, 0);
});
