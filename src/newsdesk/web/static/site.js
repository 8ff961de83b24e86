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

// "5 minutes ago" keeps up while a page stays open, in the server's words (templating.py).
const TIME_STEPS = [["minute", 60, 3600], ["hour", 3600, 86400], ["day", 86400, 7 * 86400]];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function relativeTime(when, now) {
  const seconds = Math.trunc((now - when) / 1000);
  if (seconds >= 0 && seconds < 60) {
    return "just now";
  }
  for (const [unit, size, below] of TIME_STEPS) {
    if (seconds >= 0 && seconds < below) {
      const count = Math.floor(seconds / size);
      return `${count} ${unit}${count === 1 ? "" : "s"} ago`;
    }
  }
  const date = new Date(when); // older than a week, or in the future: the date, as the server writes it
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function refreshTimes() {
  const now = Date.now();
  for (const time of document.querySelectorAll("time[data-relative][datetime]")) {
    const when = Date.parse(time.getAttribute("datetime"));
    const text = Number.isNaN(when) ? null : relativeTime(when, now);
    if (text !== null && time.textContent !== text) {
      time.textContent = text;
    }
  }
}

setInterval(refreshTimes, 60 * 1000);
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) {
    refreshTimes();
  }
});
