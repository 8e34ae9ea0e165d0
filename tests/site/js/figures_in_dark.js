// For each figure of the article: are its corners opaque and light, or does it sit on
// a light background of its own?  Also the page's background luminance and theme.
async () => {
  const lum = (r, g, b) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const rgba = (css) => { const m = css.match(/[\d.]+/g) || [0, 0, 0, 0];
                          return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const body = rgba(getComputedStyle(document.body).backgroundColor);
  const results = [];
  for (const img of document.querySelectorAll('.bd-article img')) {
    const probe = new Image();
    // A slider frame not shown yet has no src, only the data-src it loads when needed.
    probe.src = img.src || (img.dataset.src ? new URL(img.dataset.src, location.href).href : '');
    try { await probe.decode(); } catch (e) { results.push({src: probe.src.slice(0, 80), error: String(e)}); continue; }
    const w = probe.naturalWidth, h = probe.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(probe, 0, 0);
    const corners = [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]].map(
        ([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data));
    const bg = rgba(getComputedStyle(img).backgroundColor);
    results.push({src: probe.src.slice(0, 80), alt: img.alt.slice(0, 60),
                  opaqueLight: corners.every(c => c[3] === 255 && lum(c[0], c[1], c[2]) > 200),
                  backgroundLight: bg[3] === 1 && lum(bg[0], bg[1], bg[2]) > 200,
                  corners});
  }
  return {body: lum(body[0], body[1], body[2]), theme: document.documentElement.dataset.theme,
          results};
}
