// Read aloud: the page's main text through the browser's own speech synthesis, in the page's language
// (<html lang>). The button stays hidden unless the device has a voice for that language (a German voice
// reading Persian helps nobody); voices load asynchronously, so the check runs again on `voiceschanged`.
(() => {
  const btn = document.getElementById('read-aloud');
  const s = window.speechSynthesis;
  if (!btn || !s || !window.SpeechSynthesisUtterance) return;
  const lang = document.documentElement.lang.toLowerCase();
  const voice = () => (s.getVoices() || []).find((v) => {
    const l = (v.lang || '').toLowerCase().replace('_', '-');
    return l === lang || l.startsWith(`${lang}-`);
  });
  const check = () => { btn.hidden = !voice(); };
  check();
  s.addEventListener?.('voiceschanged', check);

  const label = btn.textContent;
  let reading = false;
  const stop = () => {
    reading = false;
    btn.textContent = label;
    btn.setAttribute('aria-pressed', 'false');
  };
  // One utterance per block: long utterances are cut off by some engines, and the reader hears pauses.
  const SEL = 'h1,h2,h3,h4,h5,h6,p,li,dt,dd,th,td,caption,figcaption,blockquote';
  const blocks = () => [...document.querySelectorAll(`main ${SEL.split(',').join(', main ')}`)]
    .filter((e) => !e.closest('nav, [hidden], #search-results') && !e.parentElement.closest(SEL))
    .map((e) => e.innerText.trim()).filter(Boolean);

  btn.addEventListener('click', () => {
    s.cancel();
    if (reading) return stop();
    const texts = blocks(), v = voice();
    if (!texts.length) return;
    reading = true;
    btn.textContent = btn.dataset.stop;
    btn.setAttribute('aria-pressed', 'true');
    texts.forEach((t, i) => {
      const u = new SpeechSynthesisUtterance(t);
      u.lang = document.documentElement.lang;
      if (v) u.voice = v;
      if (i === texts.length - 1) u.onend = stop;
      u.onerror = stop;
      s.speak(u);
    });
  });
  window.addEventListener('pagehide', () => s.cancel());
})();
