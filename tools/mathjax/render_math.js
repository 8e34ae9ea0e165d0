// TeX -> SVG with assistive MathML, at build time (run by _ext/light_pages.py).
//
// stdin:  JSON {"pages": [[{"tex": "...", "display": true|false}, ...], ...]}
// stdout: JSON {"pages": [{"html": ["<mjx-container ...>", ...], "defs": "<svg ...>"}, ...],
//               "css": "..."}
// Each page's glyph shapes are written once, in its "defs" (a hidden <svg> to put in the
// page), and the formulas refer to them (MathJax's global font cache).  The formulas
// carry hidden MathML for screen readers (MathJax's assistive-mml).  A TeX error is
// fatal (exit 1, the formula and MathJax's message on stderr): the build fails rather
// than show a red error box to the reader.
'use strict';
const path = require('path');
const MJ = path.join(__dirname, 'node_modules', 'mathjax-full', 'js');
const {mathjax} = require(path.join(MJ, 'mathjax.js'));
const {TeX} = require(path.join(MJ, 'input', 'tex.js'));
const {SVG} = require(path.join(MJ, 'output', 'svg.js'));
const {liteAdaptor} = require(path.join(MJ, 'adaptors', 'liteAdaptor.js'));
const {RegisterHTMLHandler} = require(path.join(MJ, 'handlers', 'html.js'));
const {AssistiveMmlHandler} = require(path.join(MJ, 'a11y', 'assistive-mml.js'));
const {AllPackages} = require(path.join(MJ, 'input', 'tex', 'AllPackages.js'));

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
let current = '';
const tex = new TeX({
  packages: AllPackages.filter(p => p !== 'bussproofs'),
  formatError: (jax, err) => {
    process.stderr.write(`render_math.js: TeX error in ${JSON.stringify(current)}: ${err.message}\n`);
    process.exit(1);
  },
});
const svg = new SVG({fontCache: 'global'});
const doc = mathjax.document('', {InputJax: tex, OutputJax: svg});
const pages = input.pages.map((items, k) => {
  svg.fontCache.clearCache();
  const html = items.map(item => {
    current = item.tex;
    doc.clear();
    const node = doc.convert(item.tex, {display: !!item.display});
    // A wide display formula scrolls sideways (the theme's overflow: auto): focusable,
    // so that the keyboard can scroll it (as MathJax in the browser makes it).
    if (item.display) { adaptor.setAttribute(node, 'tabindex', '0'); }
    return adaptor.outerHTML(node);
  });
  const defs = adaptor.outerHTML(svg.fontCache.getCache());
  return {html, defs: `<svg id="MJX-SVG-global-cache" style="display: none" aria-hidden="true" ` +
                      `xmlns="http://www.w3.org/2000/svg">${defs}</svg>`};
});
const css = adaptor.textContent(svg.styleSheet(doc));
process.stdout.write(JSON.stringify({pages, css}));
