// Starts the axe-core audit of the page in the background; the result lands in
// window.__itlibAudit.  The whole page in light mode, MathJax's CommonHTML glyphs left
// out (they are aria-hidden; assistive technology reads MathJax's hidden MathML, which is
// audited); then, in dark mode, the contrast of the cell outputs (the book's own HTML:
// quizzes, sliders).
// Sections the page leaves to ``content-visibility: auto`` (_ext/light_pages.py) are laid
// out for the audit: off screen they have a placeholder height, and axe-core, which maps
// where every element lies before it checks the contrast of each, saw text over the code
// blocks of a neighbouring section once those sections were laid out during its run (a
// link over a grey <pre>, CI 2026-11-26).  The reader only ever sees laid-out sections.
() => {
  const summary = (r) => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, impact: n.impact,
                             why: n.any.concat(n.all).map(c => c.message + (c.relatedNodes.length ?
                                  ' (against ' + c.relatedNodes.map(r => r.target.join(' ')).join(', ') + ')' : '')).join('; ')}))}));
  window.__itlibAudit = (async () => {
    const laidOut = document.createElement('style');
    laidOut.textContent = '.bd-article section { content-visibility: visible !important; }';
    document.head.append(laidOut);
    try {
      return await audit();
    } finally {
      laidOut.remove();
    }
  })().catch(e => ({error: String(e)}));
  async function audit() {
    const light = await axe.run({exclude: [['mjx-container > mjx-math']]},
                                {resultTypes: ['violations']});
    if (!document.querySelector('.bd-article .cell_output')) {
      return {light: summary(light), dark: []};
    }
    const root = document.documentElement, before = root.dataset.theme;
    root.dataset.theme = 'dark';
    try {
      const dark = await axe.run({include: [['.bd-article .cell_output']],
                                  exclude: [['mjx-container > mjx-math']]},
                                 {runOnly: ['color-contrast'], resultTypes: ['violations']});
      return {light: summary(light), dark: summary(dark)};
    } finally {
      root.dataset.theme = before;
    }
  }
}
