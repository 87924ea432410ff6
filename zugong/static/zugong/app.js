// Small behaviours that the Content Security Policy allows (no inline scripts).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.classList && form.classList.contains("zg-confirm")) {
    if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  }
});
// Open the tab named in the address (#tab-resume) after a redirect.
document.addEventListener("DOMContentLoaded", function () {
  var hash = window.location.hash;
  if (hash && hash.indexOf("#tab-") === 0 && window.bootstrap) {
    var button = document.querySelector('[data-bs-target="' + hash + '"]');
    if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
  }
});
// A select marked data-autosubmit sends its form when changed (department pickers).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
});
