// ISO 8601 dates as the API accepts them, checked against the calendar (no 2025-02-30):
//   "2025-03-01"                  a calendar date: due by the end of that day, UTC
//   "2025-03-01T17:30Z"           a date-time; seconds and fraction optional, zone required
//   "2025-03-01T17:30:00.5+02:00"
// No dependency on Date.parse, whose accepted formats differ between engines.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * @param {string} text
 * @returns {{ kind: 'date', canonical: string, startMs: number, endMs: number }
 *         | { kind: 'date-time', canonical: string, startMs: number, endMs: number }
 *         | { error: string }}
 *   `canonical` is what the API answers with: the date as given, or the instant in UTC.
 *   [startMs, endMs) is the span it names: a whole day, or one millisecond.
 */
export function parseIsoDate(text) {
  const date = DATE.exec(text);
  if (date) {
    const startMs = utcMs(+date[1], +date[2], +date[3], 0, 0, 0, 0);
    if (startMs === null) return { error: `${text} is not a calendar date` };
    return { kind: 'date', canonical: text, startMs, endMs: startMs + DAY_MS };
  }
  const m = DATE_TIME.exec(text);
  if (!m) {
    const hint = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text) ? ' (add a time zone, e.g. "Z")' : '';
    return { error: `expected an ISO 8601 date such as "2025-03-01" or "2025-03-01T17:30:00Z"${hint}` };
  }
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zone] = m;
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  const local = utcMs(+y, +mo, +d, +h, +mi, +s, ms);
  const offset = zoneOffsetMinutes(zone);
  if (local === null || offset === null) return { error: `${text} is not a valid date and time` };
  const startMs = local - offset * 60_000;
  return { kind: 'date-time', canonical: new Date(startMs).toISOString(), startMs, endMs: startMs + 1 };
}

/** Milliseconds since the epoch for UTC fields, or null when a field is out of range. */
function utcMs(year, month, day, hour, minute, second, ms) {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0..99 to 1900..1999
  if (t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null; // Feb 30 rolled over
  t.setUTCHours(hour, minute, second, ms);
  return t.getTime();
}

function zoneOffsetMinutes(zone) {
  if (zone === 'Z') return 0;
  const hours = +zone.slice(1, 3);
  const minutes = +zone.slice(4, 6);
  if (hours > 23 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
