// Images without a text alternative, and images that did not load.
() => ({
  missingAlt: Array.from(document.images)
      .filter(i => !(i.getAttribute('alt') || '').trim())
      .map(i => i.outerHTML.replace(/base64,[^"]*/, 'base64,...').slice(0, 200)),
  broken: Array.from(document.images)
      .filter(i => i.complete && i.naturalWidth === 0)
      .map(i => (i.getAttribute('src') || '').slice(0, 80)),
})
