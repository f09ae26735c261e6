// summitwatch: the only script of the web UI (no inline script: the CSP forbids it).
// Everything works without it; it adds two conveniences:
// * filter drop-downs marked data-autosubmit submit their form when changed;
// * the per-year bar chart of the timeline is a brush: drag across years to zoom the chart
//   (it navigates to ?zoom=FIRST-LAST, which the server draws; a plain click still follows a bar's link).
"use strict";

function svgX(svg, clientX) {
  var pt = svg.createSVGPoint();
  pt.x = clientX;
  pt.y = 0;
  return pt.matrixTransform(svg.getScreenCTM().inverse()).x;
}

function yearAt(svg, clientX) {
  var first = parseInt(svg.dataset.first, 10);
  var last = parseInt(svg.dataset.last, 10);
  var left = parseFloat(svg.dataset.left);
  var step = parseFloat(svg.dataset.step);
  var y = first + Math.floor((svgX(svg, clientX) - left) / step);
  return Math.max(first, Math.min(last, y));
}

function setupBrush(svg) {
  var live = svg.querySelector(".brush-live");
  var left = parseFloat(svg.dataset.left);
  var step = parseFloat(svg.dataset.step);
  var first = parseInt(svg.dataset.first, 10);
  var start = null;
  var startX = 0;
  var moved = false;

  function draw(a, b) {
    var lo = Math.min(a, b);
    var hi = Math.max(a, b);
    live.setAttribute("x", left + (lo - first) * step);
    live.setAttribute("y", 2);
    live.setAttribute("width", (hi - lo + 1) * step);
    live.setAttribute("height", svg.viewBox.baseVal.height - 20);
  }

  svg.addEventListener("pointerdown", function (ev) {
    start = yearAt(svg, ev.clientX);
    startX = ev.clientX;
    moved = false;
  });
  svg.addEventListener("pointermove", function (ev) {
    if (start === null) { return; }
    if (Math.abs(ev.clientX - startX) > 4) {
      moved = true;
      draw(start, yearAt(svg, ev.clientX));
    }
  });
  function finish(ev) {
    if (start === null) { return; }
    var a = start;
    start = null;
    if (!moved) { return; }
    var b = yearAt(svg, ev.clientX);
    var url = new URL(window.location.href);
    url.searchParams.set("zoom", Math.min(a, b) + "-" + Math.max(a, b));
    window.location.assign(url.pathname + url.search);
  }
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointerleave", function (ev) { if (moved) { finish(ev); } else { start = null; } });
  // a drag that ends over a bar must not also follow the bar's link
  svg.addEventListener("click", function (ev) {
    if (moved) { ev.preventDefault(); moved = false; }
  }, true);
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) { el.form.submit(); }
    });
  });
  document.querySelectorAll("svg.yearbars").forEach(setupBrush);
});
