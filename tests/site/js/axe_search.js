// The search page with its results: axe-core in light mode, then the results' contrast
// in dark mode.
async () => {
  const summary = (r) => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, impact: n.impact,
                             why: n.any.concat(n.all).map(c => c.message + (c.relatedNodes.length ?
                                  ' (against ' + c.relatedNodes.map(r => r.target.join(' ')).join(', ') + ')' : '')).join('; ')}))}));
  const light = await axe.run(document, {resultTypes: ['violations']});
  document.documentElement.dataset.theme = 'dark';
  const dark = await axe.run({include: [['#search-results']]},
                             {runOnly: ['color-contrast'], resultTypes: ['violations']});
  return {light: summary(light), dark: summary(dark)};
}
