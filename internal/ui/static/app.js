// Small helpers; every page works without them.
document.documentElement.classList.add("js");
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el.matches && el.matches("select[data-autosubmit]")) el.form.submit();
});
document.addEventListener("submit", (e) => {
  const msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
// A running import's page follows it without reloading, then reloads once
// it ends; without scripts the page refreshes itself.
const running = document.querySelector("[data-import][data-status=running]");
if (running) {
  const tick = async () => {
    try {
      const r = await fetch("/api/v1/imports/" + running.dataset.import, { credentials: "same-origin" });
      if (r.ok) {
        const imp = await r.json();
        if (imp.status !== "running") { location.reload(); return; }
        running.querySelector("[data-progress]").value = imp.progress;
        for (const el of running.querySelectorAll("[data-count]")) el.textContent = imp[el.dataset.count].toLocaleString();
      }
    } catch (e) { /* try again */ }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}
// A re-tiering under way: follow it, then reload to show the new tiers.
const tiering = document.querySelector("[data-tier-run][data-status=running]");
if (tiering) {
  const follow = async () => {
    try {
      const r = await fetch("/api/v1/tier-runs", { credentials: "same-origin" });
      if (r.ok) {
        const run = (await r.json()).find((x) => String(x.id) === tiering.dataset.tierRun);
        if (!run || run.status !== "running") { location.reload(); return; }
      }
    } catch (e) { /* try again */ }
    setTimeout(follow, 1500);
  };
  setTimeout(follow, 1500);
}
// Print buttons on printable pages.
for (const b of document.querySelectorAll(".print-page")) {
  b.addEventListener("click", (e) => { e.preventDefault(); window.print(); });
}
// Kanban: drag an opportunity onto another stage; the drop submits the
// card's own move form, which works without script too.
for (const card of document.querySelectorAll(".kanban .deal")) {
  card.addEventListener("dragstart", (e) => { e.dataTransfer.setData("text/plain", card.dataset.id); });
}
for (const col of document.querySelectorAll(".kanban .column")) {
  col.addEventListener("dragover", (e) => { e.preventDefault(); col.classList.add("drop"); });
  col.addEventListener("dragleave", () => col.classList.remove("drop"));
  col.addEventListener("drop", (e) => {
    e.preventDefault();
    col.classList.remove("drop");
    const card = document.querySelector(`.kanban .deal[data-id="${e.dataTransfer.getData("text/plain")}"]`);
    if (!card || card.closest(".column") === col) return;
    const form = card.querySelector("form.move");
    form.elements.stage_id.value = col.dataset.stage;
    form.submit();
  });
}
