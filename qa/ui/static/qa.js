() => {
  // A source links to `?article=<id>#s7` (see render.py): an address that can be shared.
  // Followed here, it scrolls the article panel alone to the sentence and marks it; opened
  // as a page, the same address shows that sentence once the article is on screen.
  const SOURCE = /^\?article=([^#&]*)#(s\d+)$/;
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

  function show(target) {
    for (const old of target.getRootNode().querySelectorAll(".qa-target")) {
      old.classList.remove("qa-target");
    }
    scrollTo(target);
    target.classList.add("qa-target");
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    announcer.textContent = `Shown in the article: ${target.title}. ${target.textContent}`;
  }

  document.addEventListener("click", (event) => {
    const path = event.composedPath ? event.composedPath() : [event.target];
    const link = path.find(
      (el) => el.tagName === "A" && SOURCE.test(el.getAttribute("href") || ""));
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const [, articleId, sentenceId] = SOURCE.exec(link.getAttribute("href"));
    const target = find(link.getRootNode(), decodeURIComponent(articleId), sentenceId);
    if (!target) return;
    show(target);
    if (standalone) history.replaceState(null, "", link.getAttribute("href"));
  }, true);

  // A shared address: wait for the article to be rendered, then show the sentence.
  const opened = /^#(s\d+)$/.exec(location.hash);
  if (standalone && opened) {
    const articleId = new URLSearchParams(location.search).get("article") || "";
    const started = Date.now();
    const wait = setInterval(() => {
      const target = find(document, articleId, opened[1]);
      if (target || Date.now() - started > 30000) clearInterval(wait);
      if (target) show(target);
    }, 200);
  }
}
