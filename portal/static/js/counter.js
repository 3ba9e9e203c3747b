// Text fields with a limit (data-max-chars) count their characters near it and refuse to send past it,
// instead of the browser's maxlength, which cuts a long paste silently.
"use strict";

(() => {
  const NEAR = 0.8;
  const words = window.portalWords;
  const number = (value) => words.number(value);
  // Counted as the server counts: code points, with a line break as one character.
  const length = (field) => [...field.value.replace(/\r\n/g, "\n")].length;

  function counterOf(field) {
    const id = `${field.id || field.name}-count`;
    let counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement("p");
      counter.id = id;
      counter.className = "char-count field__hint";
      counter.setAttribute("aria-live", "polite");
      counter.hidden = true;
      field.insertAdjacentElement("afterend", counter);
      field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") || ""} ${id}`.trim());
    }
    return counter;
  }

  // Returns whether the field is over its limit, after saying where it stands.
  function update(field) {
    const max = Number(field.dataset.maxChars);
    const count = length(field);
    const counter = counterOf(field);
    const over = count > max;
    counter.hidden = count < max * NEAR;
    counter.classList.toggle("field__error", over);
    counter.classList.toggle("field__hint", !over);
    const values = { count: number(count), max: number(max), over: number(count - max) };
    counter.textContent = words.say(over ? "chars_over" : "chars", values);
    if (over) field.setAttribute("aria-invalid", "true");
    else if (!field.closest(".field--error")) field.removeAttribute("aria-invalid");
    return over;
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("[data-max-chars]")) update(event.target);
  });

  // Captured on the document, so it runs before the form's own sending (submissions.js).
  document.addEventListener("submit", (event) => {
    const over = Array.from(event.target.querySelectorAll("[data-max-chars]")).filter(update);
    if (!over.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    over[0].focus();
    counterOf(over[0]).scrollIntoView({ block: "center" });
  }, true);

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-max-chars]").forEach(update);
  });
})();
