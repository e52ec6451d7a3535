// Where a command writes: stdout for results, stderr for diagnostics; swappable so commands run in tests.
export interface Output {
  /** Results: text, JSON lines, or a function's raw response body. */
  out(chunk: string | Uint8Array): void;
  /** Diagnostics: the failure line, host log lines, build output and progress. */
  err(text: string): void;
  /** Whether err() reaches a terminal, where progress may redraw a line in place; false when absent. */
  readonly errIsTTY?: boolean;
}

export const processOutput: Output = {
  out: (chunk) => void process.stdout.write(chunk),
  err: (text) => void process.stderr.write(text),
  errIsTTY: process.stderr.isTTY === true && process.env.TERM !== 'dumb',
};

/** An Output that keeps everything, for tests. */
export function bufferOutput(): Output & { readonly stdout: string; readonly stderr: string; readonly stdoutBytes: Uint8Array } {
  const outChunks: Uint8Array[] = [];
  let stderr = '';
  const encoder = new TextEncoder();
  return {
    out: (chunk) => void outChunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk),
    err: (text) => void (stderr += text),
    get stdoutBytes() {
      return new Uint8Array(Buffer.concat(outChunks));
    },
    get stdout() {
      return Buffer.concat(outChunks).toString('utf8');
    },
    get stderr() {
      return stderr;
    },
  };
}
