// Light or dark, as the system says (Bootstrap 5.3 colours everything from data-bs-theme),
// and again whenever the system changes its mind. A file, not an inline script: the
// Content-Security-Policy allows scripts from 'self' only.
const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

function applyColorScheme() {
  document.documentElement.dataset.bsTheme = darkScheme.matches ? "dark" : "light";
}

applyColorScheme();
darkScheme.addEventListener("change", applyColorScheme);
