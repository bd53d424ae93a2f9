// Evaluated by Playwright (page.evaluate) on the report page (mode "report") or on one SVG file
// opened as a page (mode "svg", its texts set in `font` when given). Renders the Mermaid blocks,
// then returns, for every chart, the box of its drawing and the corners of each of its texts, in
// CSS pixels of the page. Python (boxes.py) judges them.
async ({ mode, font }) => {
  const box = (r) => [r.left, r.top, r.right, r.bottom];

  // The drawing's area: the root <svg>'s box, cut to its viewBox (text beyond the viewBox is
  // not drawn even where the element is larger).
  const drawing = (svg) => {
    const r = svg.getBoundingClientRect();
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const ctm = svg.getScreenCTM();
    if (!vb || !vb.width || !ctm) return box(r);
    const a = new DOMPoint(vb.x, vb.y).matrixTransform(ctm);
    const b = new DOMPoint(vb.x + vb.width, vb.y + vb.height).matrixTransform(ctm);
    return [Math.max(r.left, Math.min(a.x, b.x)), Math.max(r.top, Math.min(a.y, b.y)),
            Math.min(r.right, Math.max(a.x, b.x)), Math.min(r.bottom, Math.max(a.y, b.y))];
  };

  // An HTML label is measured by its glyphs (one Range per text node), not by its elements'
  // CSS boxes: a <p> or a table-cell <div> is often wider than the words it holds.
  const glyphs = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let out = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (!r.width || !r.height) continue;
        out = out ? [Math.min(out[0], r.left), Math.min(out[1], r.top),
                     Math.max(out[2], r.right), Math.max(out[3], r.bottom)] : box(r);
      }
    }
    return out;
  };

  // The four corners of a box, clockwise from its top left.
  const corners = (b) => [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]];

  // An SVG text's own box carried to the page by its transform: a label turned by 45 degrees
  // stays a thin turned rectangle, where its client rect would be a large square.
  const turned = (el) => {
    const b = el.getBBox();
    const ctm = el.getScreenCTM();
    if (!b.width || !b.height || !ctm) return null;
    return corners([b.x, b.y, b.x + b.width, b.y + b.height])
      .map(([x, y]) => { const p = new DOMPoint(x, y).matrixTransform(ctm); return [p.x, p.y]; });
  };

  const texts = (svg) => {
    const out = [];
    for (const el of svg.querySelectorAll("text, tspan")) {
      const text = el.textContent.trim();
      const quad = text ? turned(el) : null;
      if (quad) out.push({ text, tag: el.localName, quad });
    }
    for (const fo of svg.querySelectorAll("foreignObject")) {
      const text = fo.textContent.trim();
      const b = text ? glyphs(fo) : null;
      if (b) out.push({ text, tag: "foreignObject", quad: corners(b) });
    }
    return out;
  };

  const chart = (svg, name, error) => ({
    name, error,
    kind: svg ? svg.getAttribute("aria-roledescription") || "svg" : null,
    root: svg ? drawing(svg) : null,
    texts: svg ? texts(svg) : [],
  });

  if (mode === "svg") {
    const svg = document.documentElement;
    if (font) {  // a style sheet outranks the file's font-family presentation attribute
      const style = document.createElementNS("http://www.w3.org/2000/svg", "style");
      style.textContent = `text { font-family: "${font}" !important; }`;
      svg.prepend(style);
    }
    const name = location.pathname.split("/").pop() + (font ? ` in ${font}` : "");
    return { charts: [chart(svg, name, null)], images: [], links: [] };
  }
  mermaid.initialize({ startOnLoad: false });
  const charts = [];
  const blocks = [...document.querySelectorAll("pre.mermaid")];
  for (const [i, pre] of blocks.entries()) {
    pre.id = `chart-${i + 1}`;
    let error = null;
    try {
      await mermaid.run({ nodes: [pre] });  // one at a time: one failure names its block
    } catch (e) {
      error = String((e && e.message) || e);
    }
    const svg = pre.querySelector("svg");
    if (!error && (!svg || svg.getAttribute("aria-roledescription") === "error")) {
      error = "Mermaid drew its error picture: " + ((svg && svg.textContent) || "no svg");
    }
    charts.push(chart(svg, `diagram ${i + 1} (#${pre.id})`, error));
  }
  const images = [...document.querySelectorAll("img")].map((img) => ({
    src: img.getAttribute("src"), loaded: img.complete && img.naturalWidth > 0,
  }));
  const links = [...document.querySelectorAll('a[href$=".svg"]')].map((a) => a.getAttribute("href"));
  return { charts, images, links };
}
