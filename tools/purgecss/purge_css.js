// Cut the site's stylesheets to the rules that its pages and scripts can use, with
// PurgeCSS (pinned in package-lock.json beside this file; `make assets` installs it).
// Run once per build by _ext/lean_styles.py, which documents what is kept and why.
//
// stdin:  {"content": [file, ...],              pages and scripts whose words count
//          "css": [{"name": ..., "raw": ...}]}  the stylesheets as they came
// stdout: {"css": [{"name": ..., "css": ...}]}, the stylesheets cut
// A failure prints its reason on stderr and exits with status 1.
"use strict";

const { PurgeCSS } = require("purgecss");
const postcss = require("postcss");

// PurgeCSS keeps a selector when every class, id, tag and attribute in it is a word of
// the content (its default extractor: /[A-Za-z0-9_-]+/ over pages and scripts alike, so
// a class that Bootstrap or the theme adds at run time stays when a script spells it).
// Inside :not() and :has() nothing is judged; inside :is() and :where() each selector
// is judged as if it stood alone.  @font-face, @keyframes and custom properties are kept
// whole (the options fontFace, keyframes and variables are left false).  The entries
// below keep what a word search cannot see.
const SAFELIST = {
  standard: [
    // Classes that Bootstrap builds from a prefix and a variable, so that the full name
    // is in no file: its tooltips and popovers get `bs-${NAME}-auto` (a tooltip is drawn
    // on hovering the header's buttons).
    /^bs-(tooltip|popover)-/,
    // Pseudo-classes (:focus-visible, :hover, ...) count as present, so that a selector
    // made of them alone stays: PurgeCSS finds nothing in `:focus-visible{outline:...}`
    // (the theme's keyboard focus ring) and would drop it.  In a selector that also names
    // a class, id, tag or attribute, those are judged as usual.
    /^:[a-z-]+$/,
  ],
};

// Attributes never judged, whatever their value (PurgeCSS adds value, checked, selected
// and open itself):
const DYNAMIC_ATTRIBUTES = [
  // A script sets it under a name spelled in no file: Bootstrap's dropdowns set
  // data-bs-popper="static" (in a navbar) through Manipulator.setDataAttribute("popper"),
  // which writes `data-bs-${key}`.
  "data-bs-popper",
  // URLs: the extractor splits them into words at "." and "/", so that the value of
  // a[href$=".pdf"] or img[src*="/_images/"] would be found in no file.
  "href",
  "src",
];

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

// Comments other than licence notices (/*! ... */) go: PurgeCSS leaves them in place.
function dropComments(css) {
  const root = postcss.parse(css);
  root.walkComments((c) => {
    if (!c.text.startsWith("!")) c.remove();
  });
  return root.toString();
}

async function main() {
  const input = JSON.parse(await readStdin());
  const results = await new PurgeCSS().purge({
    content: input.content,
    css: input.css.map(({ name, raw }) => ({ name, raw })),
    safelist: SAFELIST,
    dynamicAttributes: DYNAMIC_ATTRIBUTES,
  });
  const out = results.map((r) => ({ name: r.file, css: dropComments(r.css) }));
  process.stdout.write(JSON.stringify({ css: out }));
}

main().catch((err) => {
  process.stderr.write(`purge_css.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
