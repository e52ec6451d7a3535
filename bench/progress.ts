// Progress lines on stderr, stamped with the time since the run started, so stdout stays the report.
const startedAt = performance.now();

export function progress(message: string): void {
  const seconds = (performance.now() - startedAt) / 1000;
  process.stderr.write(`[bench ${seconds.toFixed(1).padStart(6)} s] ${message}\n`);
}
