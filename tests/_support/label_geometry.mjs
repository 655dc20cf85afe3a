// The geometry of the labels on a page, measured in the browser (passed to playwright's
// `evaluate`, so it is self-contained): for every svg, which labels lie outside their node's
// shape (Graphviz's node groups, or the box a treemap label follows), which overlap another label
// of the same svg, and which the svg's bounds clip. Labels are counted over all the page's svgs.

/** Runs in the page. */
export function labelGeometry() {
  const found = { labels: 0, outside: [], overlaps: [], clipped: [] };
  const inside = (a, b) =>
    a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 &&
    a.bottom <= b.bottom + 1;
  const name = (t) => t.textContent.trim().slice(0, 40);
  for (const root of document.querySelectorAll("svg")) {
    if (root.parentElement?.closest("svg") !== null && root.parentElement !== null) continue;
    const bounds = root.getBoundingClientRect();
    if (bounds.width === 0 || bounds.height === 0) continue; // not shown (a closed <details>)
    const texts = [...root.querySelectorAll("text")].filter((t) => t.textContent.trim() !== "");
    const boxes = texts.map((t) => t.getBoundingClientRect());
    found.labels += texts.length;
    texts.forEach((text, i) => {
      if (!inside(boxes[i], bounds)) found.clipped.push(name(text));
      let shape = text.closest("g.node")?.querySelector("polygon, ellipse, path, rect") ?? null;
      if (shape === null && text.closest("g.edge") === null) {
        for (
          let before = text.previousElementSibling;
          before !== null;
          before = before.previousElementSibling
        ) {
          if (before.tagName === "rect") {
            shape = before;
            break;
          }
        }
      }
      if (shape !== null && !inside(boxes[i], shape.getBoundingClientRect())) {
        found.outside.push(name(text));
      }
      for (let j = 0; j < i; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Lines of one label touch by their ascent and descent: a quarter of a box is overlap.
        const smaller = Math.min(a.width * a.height, b.width * b.height);
        if (width > 0 && height > 0 && width * height > 0.25 * smaller) {
          found.overlaps.push(`${name(text)} / ${name(texts[j])}`);
        }
      }
    });
  }
  return found;
}
