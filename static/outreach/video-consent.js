// External video only after a click: no request to YouTube before the visitor chooses.
document.querySelectorAll(".cter-consent").forEach((box) => {
  const button = box.querySelector(".cter-consent__play");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const frame = document.createElement("iframe");
    frame.src = box.dataset.embed;
    frame.title = box.dataset.title;
    frame.className = "cter-consent__frame";
    frame.allow = "autoplay; encrypted-media; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    box.replaceChildren(frame);
    frame.focus();
  });
});
