// "Select all" for the attendance checkboxes. Without JavaScript the checkbox stays
// hidden and "all confirmed registrations" in the form does the same job.
document.querySelectorAll("[data-select-all]").forEach((toggle) => {
  const name = toggle.dataset.selectAll;
  const form = document.getElementById(toggle.getAttribute("form"));
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${name}"]`);
  toggle.hidden = false;
  toggle.removeAttribute("form");
  const label = document.querySelector(`label[for="${toggle.id}"]`);
  if (label) label.hidden = false;
  document.querySelectorAll("[data-select-all-fallback]").forEach((el) => el.remove());
  toggle.addEventListener("change", () => {
    boxes().forEach((box) => { box.checked = toggle.checked; });
  });
  if (form) form.addEventListener("reset", () => { toggle.checked = false; });
});
