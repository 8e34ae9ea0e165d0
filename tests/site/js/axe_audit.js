// Starts the axe-core audit of the page in the background; the result lands in
// window.__itlibAudit.  The whole page in light mode, MathJax's CommonHTML glyphs left
// out (they are aria-hidden; assistive technology reads MathJax's hidden MathML, which is
// audited); then, in dark mode, the contrast of the cell outputs (the book's own HTML:
// quizzes, sliders).
() => {
  const summary = (r) => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, impact: n.impact}))}));
  window.__itlibAudit = (async () => {
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
  })().catch(e => ({error: String(e)}));
}
