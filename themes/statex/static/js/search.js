// Site search on Pagefind's static index: the engine loads on first use, results are plain links.
const form = document.getElementById("search-form");

if (form) {
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  let pagefind = null;

  const engine = async () => {
    if (!pagefind) {
      pagefind = await import(form.dataset.bundle + "pagefind.js");
      await pagefind.init();
    }
    return pagefind;
  };

  const resultItem = (data) => {
    const item = document.createElement("li");
    item.className = "search__result";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    const heading = document.createElement("h2");
    heading.className = "search__result-title";
    heading.append(link);
    const excerpt = document.createElement("p");
    // Pagefind escapes the page text itself and only adds <mark> around the matched words.
    excerpt.innerHTML = data.excerpt;
    item.append(heading, excerpt);
    return item;
  };

  const run = async (query) => {
    const term = query.trim();
    if (!term) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const search = await (await engine()).debouncedSearch(term, {}, 200);
    if (search === null) return; // a newer keystroke superseded this search
    const results = await Promise.all(search.results.slice(0, 20).map((result) => result.data()));
    list.replaceChildren(...results.map(resultItem));
    const template = results.length ? form.dataset.found : form.dataset.none;
    status.textContent = template.replace("{count}", results.length).replace("{query}", term);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value);
  });
  input.addEventListener("input", () => run(input.value));
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    run(query);
  }
}
