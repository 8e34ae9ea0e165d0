// Problems with the images (description -> instances): no text alternative, not loaded.
() => ({
  'images without alt text': Array.from(document.images)
      .filter(i => !(i.getAttribute('alt') || '').trim())
      .map(i => i.outerHTML.replace(/base64,[^"]*/, 'base64,...').slice(0, 200)),
  'images that do not load': Array.from(document.images)
      // A slider frame not shown yet has only a data-src (it loads when needed).
      .filter(i => (i.getAttribute('src') || !i.dataset.src) && i.complete && i.naturalWidth === 0)
      .map(i => (i.getAttribute('src') || '').slice(0, 80)),
})
