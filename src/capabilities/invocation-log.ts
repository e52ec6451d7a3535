// Collects what one invocation says (host log calls, stdout, stderr), bounded so a chatty guest cannot exhaust the host.
// With a Redactor (a version that reads secrets), every line is redacted before it is cut or kept.
import type { Redactor } from './log-redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogStream = 'log' | 'stdout' | 'stderr' | 'host';

export interface CapturedLine {
  readonly time: number; // epoch ms
  readonly level: LogLevel;
  readonly stream: LogStream;
  readonly message: string;
}

/** Lines one invocation may keep; more are counted and dropped (Lambda also truncates, at 256 KB per event). */
export const maxLinesPerInvocation = 256;
/** Bytes of message text one invocation may keep. */
export const maxLogBytesPerInvocation = 64 * 1024;
/** A single line longer than this is cut; keeps one runaway write from filling the budget. */
export const maxLineBytes = 8 * 1024;

export class InvocationLog {
  #lines: CapturedLine[] = [];
  #bytes = 0;
  #dropped = 0;
  #partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  /**
   * One per stream, decoding with `stream: true`: a character split across two writes stays whole
   * (and matchable). Made on the stream's first write: most invocations never write to one of them.
   */
  readonly #decoders: Record<'stdout' | 'stderr', TextDecoder | undefined> = { stdout: undefined, stderr: undefined };
  readonly #redactor: Redactor | undefined;

  constructor(redactor?: Redactor) {
    this.#redactor = redactor;
  }

  /** `text` with every secret value masked (unchanged without a redactor): for what the host reports beside the log. */
  redact(text: string): string {
    return this.#redactor ? this.#redactor.redact(text) : text;
  }

  add(level: LogLevel, stream: LogStream, message: string): void {
    // Redacted before the cut: a value straddling the cut would otherwise leave its first part.
    const clean = this.redact(message);
    const text = clean.length > maxLineBytes ? `${clean.slice(0, maxLineBytes)}…[cut]` : clean;
    if (this.#lines.length >= maxLinesPerInvocation || this.#bytes + text.length > maxLogBytesPerInvocation) {
      this.#dropped++;
      return;
    }
    this.#bytes += text.length;
    this.#lines.push({ time: Date.now(), level, stream, message: text });
  }

  /** Stdio arrives in arbitrary chunks; lines are emitted whole, the tail on `finish()`. */
  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    const decoder = (this.#decoders[stream] ??= new TextDecoder());
    const text = this.#partial[stream] + decoder.decode(bytes, { stream: true });
    const parts = text.split('\n');
    this.#partial[stream] = parts.pop() ?? '';
    // Keeps the tail in which a secret may have begun without ending yet, so it is masked once whole.
    const heldBack = this.#redactor ? this.#redactor.longestChars - 1 : 0;
    if (this.#partial[stream].length > maxLineBytes + heldBack) {
      const partial = this.redact(this.#partial[stream]);
      const split = partial.length - heldBack;
      if (split > 0) parts.push(partial.slice(0, split));
      this.#partial[stream] = split > 0 ? partial.slice(split) : partial;
    }
    const level = stream === 'stderr' ? 'warn' : 'info';
    for (const line of parts) this.add(level, stream, line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  finish(): CapturedLine[] {
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = this.#decoders[stream];
      if (decoder) this.#partial[stream] += decoder.decode();
      if (this.#partial[stream]) this.add(stream === 'stderr' ? 'warn' : 'info', stream, this.#partial[stream]);
      this.#partial[stream] = '';
    }
    if (this.#dropped > 0) {
      this.#lines.push({ time: Date.now(), level: 'warn', stream: 'host', message: `${this.#dropped} log lines dropped (per-invocation limit)` });
      this.#dropped = 0;
    }
    return this.#lines;
  }

  /** Lines so far (the stdio tail not yet included). */
  get lines(): readonly CapturedLine[] {
    return this.#lines;
  }

  /**
   * `finish()`, then an empty log with a fresh budget on the same object: the imports of an instance
   * that serves another invocation (`[runtime] instance_reuse`) keep writing here.
   */
  finishAndRestart(): CapturedLine[] {
    const lines = this.finish();
    this.#lines = [];
    this.#bytes = 0;
    return lines;
  }
}
