// The /search/ page: reads the query and filters from the address, asks Pagefind (loaded from
// the site's /pagefind/ folder, chunk by chunk) and lists the stories that match. The form is
// a plain GET form, so the address of any search can be shared, and it works before this
// script runs. A classic script (not a module), so that opened from disk it still runs and
// says why search is unavailable.

(() => {
  const root = document.getElementById("search");
  const form = root.querySelector("form");
  const input = document.getElementById("search-query");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const PAGE_SIZE = 10;
  const lang = document.documentElement.lang || "en";
  const dates = new Intl.DateTimeFormat(lang, {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";

  if (location.protocol === "file:") {
    // Browsers refuse to load the index's chunks from file:// addresses.
    say(text("fromDisk"));
    for (const control of form.querySelectorAll("input, button")) control.disabled = true;
  } else {
    start();
  }

  function say(message) {
    status.textContent = message;
  }

  // The page's words (search.html's data-say-* attributes, from the language's string table),
  // with {n} and {what} filled in.
  function text(name, fill = {}) {
    const key = "say" + name[0].toUpperCase() + name.slice(1);
    return (root.dataset[key] || "").replace(/\{(\w+)\}/g, (whole, k) => (k in fill ? fill[k] : whole));
  }

  async function start() {
    showChosen();
    let pagefind;
    try {
      pagefind = await import(new URL("pagefind.js", new URL(root.dataset.index, location.href)).href);
      // Records carry their full path (base path included): no prefix to add.
      // No web worker: one file less to download before the first result.
    await pagefind.options({ baseUrl: "/", excerptLength: 28, noWorker: true });
    } catch (error) {
      say(text("unavailable"));
      return;
    }
    root.dataset.ready = "";
    let pending;
    input.addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(() => run(pagefind), 250);
    });
    form.addEventListener("change", (event) => {
      if (event.target !== input) run(pagefind);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(pending);
      run(pagefind);
    });
    run(pagefind);
  }

  // The checkboxes are on the page (made from the site's data); check those the address
  // names, and open their groups.
  function showChosen() {
    for (const group of form.querySelectorAll("details[data-filter]")) {
      const chosen = params.getAll(group.dataset.filter);
      for (const check of group.querySelectorAll("input[type=checkbox]")) {
        check.checked = chosen.includes(check.value);
        if (check.checked) group.open = true;
      }
    }
  }

  let latest = 0;

  async function run(pagefind) {
    const run_id = ++latest;
    const query = input.value.trim();
    const filters = {};
    const address = new URLSearchParams();
    if (query) address.set("q", query);
    for (const check of form.querySelectorAll("details[data-filter] input:checked")) {
      (filters[check.name] ||= { any: [] }).any.push(check.value);
      address.append(check.name, check.value);
    }
    const shown = address.toString();
    history.replaceState(null, "", shown ? `?${shown}` : location.pathname);
    if (!query && Object.keys(filters).length === 0) {
      list.replaceChildren();
      say("");
      return;
    }
    const search = await pagefind.search(query || null, {
      filters,
      sort: query ? undefined : { date: "desc" },
    });
    if (run_id !== latest || !search) return;
    const found = search.results;
    const what = query ? `“${query}”` : text("chosenFilters");
    if (found.length === 0) {
      list.replaceChildren();
      say(text("none", { what }));
      return;
    }
    list.replaceChildren();
    await showMore(found, 0, run_id);
    if (run_id !== latest) return;
    say(text(found.length === 1 ? "one" : "many", { n: found.length, what }));
  }

  async function showMore(found, from, run_id) {
    const page = await Promise.all(found.slice(from, from + PAGE_SIZE).map((r) => r.data()));
    if (run_id !== latest) return;
    for (const data of page) list.append(result(data));
    const next = from + page.length;
    if (next < found.length) {
      const item = document.createElement("li");
      item.className = "search-more";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = text("more", { n: found.length - next });
      button.addEventListener("click", async () => {
        item.remove();
        const first = list.children.length;
        await showMore(found, next, run_id);
        list.children[first]?.querySelector("a")?.focus();
      });
      item.append(button);
      list.append(item);
    }
  }

  function result(data) {
    const meta = data.meta || {};
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    heading.className = "search-result-title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = meta.title || data.url;
    heading.append(link);
    item.append(heading);
    if (meta.date) {
      const line = document.createElement("p");
      line.className = "meta";
      const time = document.createElement("time");
      time.dateTime = meta.date;
      const day = new Date(`${meta.date}T00:00:00Z`);
      time.textContent = Number.isNaN(day.getTime()) ? meta.date : dates.format(day);
      line.append(time);
      item.append(line);
    }
    // Pagefind's excerpt is the record's HTML-escaped text with the matches in <mark>.
    const excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt;
    item.append(excerpt);
    const chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", text("topics"));
    for (const group of form.querySelectorAll("details[data-meta]")) {
      const key = group.dataset.meta;
      if (!meta[key]) continue;
      for (const name of meta[key].split(", ")) {
        const chip = document.createElement("li");
        const span = document.createElement("span");
        span.className = `chip chip-${key}`;
        span.textContent = name;
        chip.append(span);
        chips.append(chip);
      }
    }
    if (chips.children.length) item.append(chips);
    return item;
  }
})();
