// Request-info form: list only the campuses of the chosen program (the page works without
// this script: the server lists the chosen program's campuses, or every program's grouped by
// program while none is chosen, and checks the choice), move focus to the error summary so
// that screen readers announce it, and keep what was typed when the visitor changes language.
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
  // The page's language links (header and footer) carry what was typed: they send the form
  // to the other language's address through its "Continue in ..." button, which only shows
  // the form there, nothing sent. With nothing typed yet they stay plain links.
  function typedSomething() {
    return Array.prototype.some.call(
      form.querySelectorAll("input[type=text], input[type=email], input[type=tel], textarea"),
      function (field) {
        return field.value.trim() !== "" && field.name !== "leave_blank";
      }
    );
  }
  Array.prototype.forEach.call(document.querySelectorAll("a[hreflang][lang]"), function (link) {
    var button = document.querySelector(
      "button[name=switch_language][value=\"" + link.getAttribute("hreflang") + "\"]"
    );
    if (!button) {
      return;
    }
    link.addEventListener("click", function (event) {
      if (typedSomething()) {
        event.preventDefault();
        button.click();
      }
    });
  });
  var program = form.querySelector("select[name=program]");
  var campus = form.querySelector("select[name=campus]");
  var wrapper = document.getElementById("campus-field");
  if (!program || !campus || !wrapper) {
    return;
  }
  function listCampusesOfTheChosenProgram() {
    var option = program.options[program.selectedIndex];
    var data = option ? option.getAttribute("data-campuses") : null;
    var campuses = data ? JSON.parse(data) : [];
    var previous = campus.value;
    // Keep the first option ("No preference"); drop the rest, with any program groups.
    while (campus.lastElementChild && campus.lastElementChild !== campus.firstElementChild) {
      campus.removeChild(campus.lastElementChild);
    }
    campuses.forEach(function (item) {
      campus.add(new Option(item[1], String(item[0])));
    });
    campus.value = campuses.some(function (item) {
      return String(item[0]) === previous;
    }) ? previous : "";
    wrapper.hidden = campuses.length < 2;
  }
  program.addEventListener("change", listCampusesOfTheChosenProgram);
  if (!program.value) {
    // The server listed every program's campuses for visitors without this script.
    listCampusesOfTheChosenProgram();
  }
}());
