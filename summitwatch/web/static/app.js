// summitwatch: the only script of the web UI (no inline script: the CSP forbids it).
// Filter drop-downs marked data-autosubmit submit their form when changed; everything works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) { el.form.submit(); }
    });
  });
});
