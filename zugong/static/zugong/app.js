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
// Person pickers (core.forms.PersonSelect): a search box above the select keeps the
// people whose name, pinyin initials or pinyin contain the typed text; sections whose
// people are all hidden are hidden too. A single select takes the first match, so that
// typing "zs" and pressing Enter picks 张三.
function zgPicker(select) {
  if (select.dataset.zgPickerReady) return;
  select.dataset.zgPickerReady = "1";
  var box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm zg-picker-search";
  box.placeholder = select.getAttribute("data-placeholder") || "";
  box.setAttribute("aria-label", box.placeholder);
  box.setAttribute("aria-controls", select.id);
  select.parentNode.insertBefore(box, select);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault();
  });
  box.addEventListener("input", function () {
    var text = box.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var key = option.getAttribute("data-search");
      if (key === null) return;
      var match = !text || key.indexOf(text) >= 0;
      option.hidden = !match && !(select.multiple && option.selected);
      if (match && first === null) first = option;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
    if (!select.multiple && text && first !== null) {
      var current = select.options[select.selectedIndex];
      if (!current || current.hidden || current.value === "") first.selected = true;
    }
  });
}
function zgPickers(root) {
  Array.prototype.forEach.call((root || document).querySelectorAll("select[data-zg-picker]"), zgPicker);
}
document.addEventListener("DOMContentLoaded", function () { zgPickers(document); });
document.addEventListener("htmx:load", function (event) { zgPickers(event.target); });
