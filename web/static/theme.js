// Applies the saved theme before the first paint (a file, not inline: the
// Content-Security-Policy allows no inline script).
try {
  var t = localStorage.getItem("codehub.theme");
  if (t) document.documentElement.dataset.theme = t;
} catch (e) {}
