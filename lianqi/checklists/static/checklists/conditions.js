/* Show an item only when the item it depends on has the given answer (same rule as the server:
   the parent must itself be shown). Runs on load, on every change and after every htmx swap. */
(function () {
  function answerOf(code) {
    var box = document.getElementById("item-" + code);
    if (!box || box.classList.contains("d-none")) return null;
    var values = [];
    box.querySelectorAll("form.lq-answer [name=value]").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.type === "hidden" || input.value === "") return;
      values.push(input.value);
    });
    if (box.dataset.type === "multi_choice") return values;
    return values.length ? values[values.length - 1] : null;
  }
  function refresh() {
    document.querySelectorAll(".lq-item").forEach(function (box) {
      var parent = box.dataset.showIfItem;
      if (!parent) return;
      var answer = answerOf(parent), expected = box.dataset.showIfEquals, show;
      if (answer === null) show = false;
      else if (Array.isArray(answer)) show = answer.indexOf(expected) >= 0;
      else show = String(answer) === expected || (!isNaN(parseFloat(answer)) && parseFloat(answer) === parseFloat(expected));
      box.classList.toggle("d-none", !show);
    });
  }
  document.addEventListener("change", refresh);
  document.addEventListener("htmx:afterSwap", refresh);
  document.addEventListener("DOMContentLoaded", refresh);
  refresh();
})();
