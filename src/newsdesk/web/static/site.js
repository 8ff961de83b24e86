// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.classList.contains("danger") && !window.confirm(button.getAttribute("aria-label") + "?")) {
    event.preventDefault();
  }
});

// A picture whose host is down should leave no empty frame behind.
document.addEventListener("error", (event) => {
  const image = event.target;
  if (image instanceof HTMLImageElement && image.matches(".story-image, .lead-image")) {
    image.remove();
  }
}, true);
