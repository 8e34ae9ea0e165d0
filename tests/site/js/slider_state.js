// A static slider's state: its range input, label and the frames shown.
(root) => {
  const range = root.querySelector('input[type=range]');
  const shown = Array.from(root.querySelectorAll('img.itlib-slider-frame')).filter(
      i => !i.hidden && getComputedStyle(i).display !== 'none');
  return {value: Number(range.value), min: Number(range.min), max: Number(range.max),
          valuetext: range.getAttribute('aria-valuetext'),
          label: root.querySelector('.itlib-slider-label').textContent,
          shown: shown.map(i => ({index: Number(i.dataset.index), src: i.src,
                                  alt: i.alt, width: i.getBoundingClientRect().width,
                                  natural: i.naturalWidth}))};
}
