// Starts Pagefind's search UI on the search page; `?q=` from the header form pre-fills it.
window.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("search");
  if (!element || !window.PagefindUI) return;
  const ui = new window.PagefindUI({
    element,
    bundlePath: element.dataset.bundle,
    showImages: false,
    resetStyles: false,
  });
  // Name the input by the page's visible heading rather than by Pagefind's tooltip-only title.
  const input = element.querySelector(".pagefind-ui__search-input");
  if (input) input.setAttribute("aria-labelledby", "search-title");
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
