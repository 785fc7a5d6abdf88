// "Write to them": choosing a template fills it in at once (the "Fill in" button does the
// same without JavaScript), after asking before it replaces text someone has written.
"use strict";
(function () {
  const chooser = document.querySelector(".reply-template-chooser");
  if (!chooser) return;
  const select = chooser.querySelector("select");
  const fields = document.querySelectorAll(".reply-editor input[type=text], .reply-editor textarea");
  select.addEventListener("change", function () {
    const edited = Array.from(fields).some((field) => field.value !== field.defaultValue);
    if (edited && !window.confirm("Replace the subject and message you have written?")) return;
    chooser.submit();
  });
})();
