// Request-info form: list only the campuses of the chosen program (the page works without
// this script: the server shows the preselected program's campuses and checks the choice),
// and move focus to the error summary so that screen readers announce it.
(function () {
  "use strict";
  var form = document.getElementById("request-info-form");
  if (!form) {
    return;
  }
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var program = form.querySelector("select[name=program]");
  var campus = form.querySelector("select[name=campus]");
  var wrapper = document.getElementById("campus-field");
  if (!program || !campus || !wrapper) {
    return;
  }
  program.addEventListener("change", function () {
    var option = program.options[program.selectedIndex];
    var data = option ? option.getAttribute("data-campuses") : null;
    var campuses = data ? JSON.parse(data) : [];
    var previous = campus.value;
    while (campus.options.length > 1) {
      campus.remove(1);
    }
    campuses.forEach(function (item) {
      campus.add(new Option(item[1], String(item[0])));
    });
    campus.value = campuses.some(function (item) {
      return String(item[0]) === previous;
    }) ? previous : "";
    wrapper.hidden = campuses.length < 2;
  });
}());
