// Portal behaviour that needs JavaScript; every page works without it.
"use strict";

// htmx requests carry the page's CSRF token in a header, set once for the page.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// Words that are only true with JavaScript ("This page updates by itself") show once htmx runs.
document.addEventListener("htmx:load", (event) => {
  event.detail.elt.querySelectorAll("[data-live-note]").forEach((note) => { note.hidden = false; });
});
