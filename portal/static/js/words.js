// The words scripts say, from the page (submissions/_words.html, in the page's language):
// words.say("recorded", {time: "0:12"}) fills in {time}.
"use strict";

window.portalWords = (() => {
  let table = null;
  const load = () => {
    if (table) return table;
    const element = document.getElementById("portal-words");
    table = element ? JSON.parse(element.textContent) : {};
    return table;
  };
  return {
    say(key, values = {}) {
      const text = load()[key] || key;
      return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
    },
    number(value) {
      return value.toLocaleString(load().locale || "en");
    },
  };
})();
