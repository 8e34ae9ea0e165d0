// Resolves when MathJax has typeset the page and the fonts are loaded (60 s at most).
async () => {
  const ready = (async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      await MathJax.startup.promise;
    }
    if (document.fonts) { await document.fonts.ready; }
  })();
  const late = new Promise((_, fail) => setTimeout(
      () => fail(new Error('MathJax or the fonts not ready after 60 s')), 60000));
  await Promise.race([ready, late]);
}
