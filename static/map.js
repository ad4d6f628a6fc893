// Pan and zoom for the actor map (decision 0030): a progressive enhancement. Without JavaScript the
// drawing is whole and the table beside it carries the same data. Drag to pan, wheel or the buttons
// to zoom; the buttons are keyboard-reachable and "reset" restores the whole map.
(function () {
  "use strict";
  function enhance(svg) {
    var base = svg.viewBox.baseVal;
    var home = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };
    function apply() { svg.setAttribute("viewBox", view.x + " " + view.y + " " + view.w + " " + view.h); }
    function zoom(factor, cx, cy) {
      var w = Math.min(home.w * 2, Math.max(home.w / 8, view.w * factor));
      var h = w * home.h / home.w;
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      view.x = cx - (cx - view.x) * w / view.w;
      view.y = cy - (cy - view.y) * h / view.h;
      view.w = w; view.h = h;
      apply();
    }
    function point(event) {
      var rect = svg.getBoundingClientRect();
      return { x: view.x + (event.clientX - rect.left) * view.w / rect.width, y: view.y + (event.clientY - rect.top) * view.h / rect.height };
    }
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = point(event);
      zoom(event.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.target.closest("a")) { return; }
      drag = { x: event.clientX, y: event.clientY };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("is-panning");
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var rect = svg.getBoundingClientRect();
      view.x -= (event.clientX - drag.x) * view.w / rect.width;
      view.y -= (event.clientY - drag.y) * view.h / rect.height;
      drag = { x: event.clientX, y: event.clientY };
      apply();
    });
    function stop() { drag = null; svg.classList.remove("is-panning"); }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    var controls = document.createElement("div");
    controls.className = "actor-map-controls";
    var labels = (document.documentElement.lang || "it").indexOf("en") === 0
      ? ["Zoom in", "Zoom out", "Whole map"] : ["Ingrandisci", "Riduci", "Mappa intera"];
    [["+", labels[0], function () { zoom(0.8); }], ["−", labels[1], function () { zoom(1.25); }],
     ["⟲", labels[2], function () { view = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }]]
      .forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-primary btn-sm";
        button.textContent = spec[0];
        button.setAttribute("aria-label", spec[1]);
        button.title = spec[1];
        button.addEventListener("click", spec[2]);
        controls.appendChild(button);
      });
    svg.parentNode.insertBefore(controls, svg);
  }
  document.querySelectorAll("svg[data-pan-zoom]").forEach(enhance);
})();
