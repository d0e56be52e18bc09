// Wagtail's tag field (jQuery tag-it) types into an input of its own that has no label;
// it gets the name of the field's label, so screen readers announce "Thema's" there too.
(() => {
  const label = (input) => {
    if (input.hasAttribute("aria-labelledby") || input.hasAttribute("aria-label")) return;
    const field = input.closest("[data-field-input]");
    const original = field && field.querySelector("input[data-controller~='w-tag']");
    const text = original && document.getElementById(`${original.id}-label`);
    if (text) input.setAttribute("aria-labelledby", text.id);
  };
  const scan = () => document.querySelectorAll("input.ui-autocomplete-input").forEach(label);
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", scan);
})();
