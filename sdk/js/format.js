// Turns console-style arguments into one log line (QuickJS has no console or util.inspect).

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error } = globalThis;

/** @param {unknown[]} args @returns {string} */
export function formatArgs(args) {
  return args.map(formatValue).join(' ');
}

function formatValue(v) {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}` : `${v.name}: ${v.message}`;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v); // cycles
  }
}
