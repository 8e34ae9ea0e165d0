// Problems with the math of the article (description -> instances): TeX left raw in the
// text, math not typeset by MathJax, MathJax's errors.
() => {
  const math = Array.from(document.querySelectorAll('.bd-article .math'));
  const untypeset = math.filter(m => !m.querySelector('mjx-container'))
                        .map(m => m.textContent.trim().slice(0, 80));
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight';
  const walker = document.createTreeWalker(document.querySelector('.bd-article') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) { continue; }
    const t = n.textContent;
    if (/\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{/.test(t)) { raw.push(t.trim().slice(0, 80)); }
  }
  const containers = document.querySelectorAll('.bd-article mjx-container').length;
  return {'raw TeX left in the text': raw,
          'math not typeset': untypeset,
          'MathJax errors': Array.from(document.querySelectorAll('mjx-merror'))
                                 .map(e => e.getAttribute('data-mjx-error') || e.textContent),
          'fewer typeset formulas than formulas':
              containers < math.length ? [`${containers} < ${math.length}`] : []};
}
