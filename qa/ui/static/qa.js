() => {
  document.addEventListener("click", (event) => {
    const path = event.composedPath ? event.composedPath() : [event.target];
    const link = path.find(
      (el) => el.tagName === "A" && (el.getAttribute("href") || "").startsWith("#qa-"));
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const id = link.getAttribute("href").slice(1);
    const root = link.getRootNode();
    const target = (root.getElementById && root.getElementById(id)) || document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.classList.add("qa-flash");
    setTimeout(() => target.classList.remove("qa-flash"), 1500);
  }, true);
}
