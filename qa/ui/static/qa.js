() => {
  // A source links to `?article=<id>#s7`, or `#s6-s7` for two sentences cited together
  // (see render.py): an address that can be shared. Followed here, it scrolls the article
  // panel alone to the sentences and marks them; opened as a page, the same address shows
  // them once the article is on screen.
  const SENTENCES = "(s\\d+)(?:-(s\\d+))?";
  const SOURCE = new RegExp(`^\\?article=([^#&]*)#${SENTENCES}$`);
  const HASH = new RegExp(`^#${SENTENCES}$`);
  const motion = matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  const standalone = window.__gradio_mode__ === "app";  // not inside a host page's document

  // Outline and shading are not seen by everyone: a live region says what was shown.
  const announcer = document.createElement("div");
  announcer.id = "qa-announce";
  announcer.className = "qa-sr";
  announcer.setAttribute("role", "status");
  document.body.appendChild(announcer);

  // Gradio's Sources toggle is a `div role=button` holding an unnamed arrow `<button>`: a
  // control inside a control, and a tab stop that says nothing. The arrow is made inert
  // (a click on it reaches the toggle), and the toggle says whether it is open.
  function mendToggles() {
    for (const toggle of document.querySelectorAll(".thought-group [role=button]")) {
      toggle.setAttribute("aria-expanded", toggle.classList.contains("expanded"));
      for (const arrow of toggle.querySelectorAll("button")) arrow.inert = true;
    }
  }
  // A new answer's sentence is brought into the panel's view: the answer may stand far
  // down a long article. The panel scrolls, not the page.
  // By id: a panel drawn again for the same answer does not take the reader back.
  let answered = "";
  function showAnswer() {
    const primary = document.querySelector("#qa-article .qa-primary");
    if (primary && primary.id !== answered) scrollTo(primary);
    answered = primary ? primary.id : "";
  }
  new MutationObserver(() => { mendToggles(); showAnswer(); }).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class"],
  });

  // The sentence in the given article, or with no article named, in the first one shown.
  function find(root, articleId, sentenceId) {
    if (!articleId) return root.querySelector(`.qa-article [id$="-${sentenceId}"]`);
    return root.querySelector(`[id="qa-${CSS.escape(articleId)}-${sentenceId}"]`);
  }

  // The sentences from `first` to `last` (`s6`, `s7`), in the article that holds the first.
  function findAll(root, articleId, first, last) {
    const start = find(root, articleId, first);
    if (!start) return [];
    const prefix = start.id.slice(0, start.id.length - first.length);
    const found = [];
    for (let n = Number(first.slice(1)); n <= Number((last || first).slice(1)); n++) {
      const sentence = root.querySelector(`[id="${CSS.escape(prefix)}s${n}"]`);
      if (sentence) found.push(sentence);
    }
    return found;
  }

  function scrollTo(target) {
    const panel = target.closest(".qa-article");
    let shift = 0;
    if (panel) {
      const offset = target.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      const wanted = panel.scrollTop + offset - (panel.clientHeight - target.offsetHeight) / 2;
      const top = Math.max(0, Math.min(panel.scrollHeight - panel.clientHeight, wanted));
      shift = top - panel.scrollTop;
      panel.scrollTo({ top, behavior: motion });
    }
    // scrollIntoView would scroll the page as well; only when the panel itself is out of
    // sight (below the chat on a phone) does the page move.
    const box = target.getBoundingClientRect();
    const top = box.top - shift;
    if (top < 0 || top + box.height > window.innerHeight) {
      window.scrollBy({ top: top - (window.innerHeight - box.height) / 2, behavior: motion });
    }
  }

  function show(targets) {
    const [target] = targets;
    for (const old of target.getRootNode().querySelectorAll(".qa-target")) {
      old.classList.remove("qa-target");
    }
    scrollTo(target);
    for (const sentence of targets) sentence.classList.add("qa-target");
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    const words = targets.map((sentence) => sentence.textContent).join(" ");
    announcer.textContent = `Shown in the article: ${target.title}. ${words}`;
  }

  document.addEventListener("click", (event) => {
    const path = event.composedPath ? event.composedPath() : [event.target];
    const link = path.find(
      (el) => el.tagName === "A" && SOURCE.test(el.getAttribute("href") || ""));
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const [, articleId, first, last] = SOURCE.exec(link.getAttribute("href"));
    const targets = findAll(link.getRootNode(), decodeURIComponent(articleId), first, last);
    if (!targets.length) return;
    show(targets);
    if (standalone) history.replaceState(null, "", link.getAttribute("href"));
  }, true);

  // A shared address: wait for the article to be rendered, then show the sentence.
  const opened = HASH.exec(location.hash);
  if (standalone && opened) {
    const articleId = new URLSearchParams(location.search).get("article") || "";
    const started = Date.now();
    const wait = setInterval(() => {
      const targets = findAll(document, articleId, opened[1], opened[2]);
      if (targets.length || Date.now() - started > 30000) clearInterval(wait);
      if (targets.length) show(targets);
    }, 200);
  }
}
