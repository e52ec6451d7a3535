// The progress line of a long command (`wasmlet bench <target>`) on stderr, stamped with the elapsed
// time: on a terminal one line redrawn in place; otherwise (a log, a pipe) a line per step and, while
// a step runs, its counts at most every few seconds, so a log stays readable.
import type { Output } from './cli-output.js';

/** Carriage return + erase line. */
const clearLine = '\r\u001b[K';
/** A redrawn line must not wrap, or "\r" no longer returns to its start. */
const maxTtyChars = 100;
/** Plain output: a step's running counts at most this often. */
const plainEveryMs = 2000;

export interface ProgressLine {
  /** The current step and its counts: `hello · 8 connections · round 1/2 · 1234 calls`. */
  update(text: string): void;
  /** A line of its own, kept above the progress line. */
  note(text: string): void;
  /** Ends the redrawn line (idempotent). */
  done(): void;
}

export function progressLine(output: Output, now: () => number = () => performance.now()): ProgressLine {
  const startedAt = now();
  const tty = output.errIsTTY === true;
  let drawn = false;
  let lastStep = '';
  let lastPlainAt = -Infinity;
  const stamp = (text: string) => `[bench ${((now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${text}`;
  return {
    update(text) {
      if (tty) {
        const line = stamp(text);
        output.err(`${clearLine}${[...line].length > maxTtyChars ? `${[...line].slice(0, maxTtyChars - 1).join('')}…` : line}`);
        drawn = true;
        return;
      }
      // The step is the text before its running counts.
      const step = text.replace(/ · \d+ calls.*$/, '');
      if (step === lastStep && now() - lastPlainAt < plainEveryMs) return;
      lastStep = step;
      lastPlainAt = now();
      output.err(`${stamp(text)}\n`);
    },
    note(text) {
      output.err(`${drawn ? clearLine : ''}${stamp(text)}\n`);
      drawn = false;
    },
    done() {
      if (drawn) output.err('\n');
      drawn = false;
    },
  };
}
