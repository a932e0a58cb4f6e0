// "Open now" above an opening-hours table (the table itself works without JavaScript).
// The table carries the hours in normalized OpenStreetMap form (data-hours) and the site's time zone.
(() => {
  const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
  const minutes = (t) => { const [h, m] = t.split(':').map(Number); return h * 60 + m; };
  const openAt = (hours, day, minute) => {
    if (hours.trim() === '24/7') return true;
    let open = [];
    for (const rule of hours.split(';').map((r) => r.trim()).filter(Boolean)) {
      const [sel, times = ''] = rule.split(/\s+(.*)/);
      if (sel === 'PH') continue;
      const days = new Set();
      for (const part of sel.split(',')) {
        const [a, b = a] = part.split('-').map((d) => DAYS.indexOf(d));
        for (let i = a; ; i = (i + 1) % 7) { days.add(i); if (i === b || i < 0) break; }
      }
      if (!days.has(day)) continue;
      open = times === 'off' || times === 'closed' ? [] : times.split(',').map((s) => s.split('-').map(minutes));
    }
    return open.some(([from, to]) => minute >= from && minute < to);
  };
  for (const table of document.querySelectorAll('table.hours[data-hours][data-tz]')) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
      timeZone: table.dataset.tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date()).map((p) => [p.type, p.value]));
    const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday);
    const open = openAt(table.dataset.hours, day, Number(parts.hour) * 60 + Number(parts.minute));
    const p = document.createElement('p');
    p.className = open ? 'open-now' : 'closed-now';
    p.textContent = open ? table.dataset.open : table.dataset.closed;
    table.before(p);
  }
})();
