// "5 minutes ago", "5分钟前": every <time datetime> on the page, worked out here by the
// reader's clock, again every minute. The server writes the exact date and time instead
// (_macros.html), which stays true on a page served from a cache, or without this script;
// it stays as the title. Older than data-relative-days, a time shows that date and time.
// The words: the page's language (<html lang>), and data-just-now under a minute.
const { justNow, relativeDays } = document.currentScript.dataset;
const relativeFormat = new Intl.RelativeTimeFormat(document.documentElement.lang);
const UNITS = [
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];
const times = document.querySelectorAll("time[datetime]");

// The largest unit with at least one whole: "59 minutes ago", then "1 hour ago".
function relative(seconds) {
  for (const [unit, length] of UNITS) {
    if (seconds >= length) {
      return relativeFormat.format(-Math.floor(seconds / length), unit);
    }
  }
  return justNow; // a clock a little behind the server's, too
}

function showRelativeTimes() {
  const now = Date.now();
  for (const time of times) {
    time.title ||= time.textContent;
    const seconds = (now - Date.parse(time.dateTime)) / 1000;
    time.textContent = seconds < relativeDays * 86400 ? relative(seconds) : time.title;
  }
}

showRelativeTimes();
setInterval(showRelativeTimes, 60_000);
