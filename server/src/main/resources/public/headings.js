// Model text has headings of its own (an article's "# Title", a section's "## …"). Rendered as they
// are, they break the page's outline: an <h1> inside a step whose title is an <h4>, then the next
// step's <h4> skips levels. nestHeadings moves them under their box's heading, keeping their
// relative levels but never going more than one level deeper than the heading before (the model's
// own "# …" then "#### …" skips too), capped at <h6>; their look stays the model's, through
// data-md-level in CSS.

/** Re-levels the headings in `root` so the highest becomes `level` + 1; `level` is its box's heading level. */
export function nestHeadings(root, level) {
  const headings = [...root.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  if (!headings.length) return;
  const levelOf = (h) => Number(h.dataset.mdLevel ?? h.tagName.slice(1));
  const top = Math.min(...headings.map(levelOf));
  let previous = level;
  for (const h of headings) {
    const own = levelOf(h);
    const nestedLevel = Math.min(6, own - top + level + 1, previous + 1);
    previous = nestedLevel;
    const nested = document.createElement(`h${nestedLevel}`);
    for (const { name, value } of h.attributes) nested.setAttribute(name, value);
    nested.dataset.mdLevel = String(own);
    nested.append(...h.childNodes);
    h.replaceWith(nested);
  }
}
