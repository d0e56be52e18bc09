// Inputs that Wagtail's widgets draw themselves and leave without a name: the tag field's
// typing input (jQuery tag-it) and the rich-text editor (Draftail's contenteditable
// textbox). Each gets the name of its field's label, so a screen reader announces
// "Thema's" or "Leerdoelen" there too (axe: label, aria-input-field-name).
(() => {
  const UNNAMED = "input.ui-autocomplete-input, [contenteditable='true'][role='textbox']";
  const name = (input) => {
    if (input.hasAttribute("aria-labelledby") || input.hasAttribute("aria-label")) return;
    // The field's own input (the tag list, the rich text's JSON) carries the label's id.
    const field = input.closest("[data-field-input]");
    const own = field && field.querySelector("input[id]:not(.ui-autocomplete-input)");
    const label =
      own &&
      (document.getElementById(`${own.id}-label`) ||
        document.querySelector(`label[for="${own.id}"]`));
    if (label) {
      if (!label.id) label.id = `${own.id}-label`;
      input.setAttribute("aria-labelledby", label.id);
    }
  };
  const scan = () => document.querySelectorAll(UNNAMED).forEach(name);
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", scan);
})();
