// Verifiable documents: the issue form puts the example content of the chosen kind in the
// content box, unless the content was edited.
(function () {
  "use strict";

  function ready() {
    var kind = document.getElementById("kind");
    var subject = document.getElementById("subject");
    var data = document.getElementById("documents-examples");
    if (!kind || !subject || !data) { return; }
    var examples = JSON.parse(data.textContent || "{}");
    var hints = document.querySelectorAll(".no-js-hint");
    for (var i = 0; i < hints.length; i += 1) { hints[i].hidden = true; }
    kind.addEventListener("change", function () {
      var current = subject.value.trim();
      var untouched = current === "" || Object.keys(examples).some(function (key) {
        return examples[key].trim() === current;
      });
      if (untouched && examples[kind.value]) { subject.value = examples[kind.value]; }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
