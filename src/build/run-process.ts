// Runs a build step as a child process, handing each line of its output to the caller as it comes
// (a recipe can be quiet for a minute, then print a compiler error), and keeping the last lines.
import { spawn } from 'node:child_process';

/** How many trailing output lines a failed step keeps for its error (the rest was already streamed). */
export const keptTailLines = 20;

export interface ProcessResult {
  /** null when a signal ended the process. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last keptTailLines lines of stdout and stderr, interleaved as they arrived. */
  readonly tail: readonly string[];
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called once per output line, without its line ending. */
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Runs `file args` to completion; a non-zero exit is a result, not a rejection (spawn errors such as
 * ENOENT do reject).
 * @example const { exitCode } = await runProcess('bash', ['toolchains/c/build.sh', dir, out], { cwd: dir, onLine: print });
 */
export function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const emit = (line: string, stream: 'stdout' | 'stderr'): void => {
      tail.push(line);
      if (tail.length > keptTailLines) tail.shift();
      options.onLine(line, stream);
    };
    const stdout = new LineSplitter((line) => emit(line, 'stdout'));
    const stderr = new LineSplitter((line) => emit(line, 'stderr'));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      stdout.end();
      stderr.end();
      resolve({ exitCode, signal, tail });
    });
  });
}

/**
 * Bytes in, whole lines out. A carriage return ends a line too: progress bars that redraw with "\r"
 * become successive lines instead of one endless one.
 */
export class LineSplitter {
  readonly #onLine: (line: string) => void;
  readonly #decoder = new TextDecoder();
  #pending = '';
  #afterCarriageReturn = false;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Uint8Array): void {
    const text = this.#decoder.decode(chunk, { stream: true });
    for (const char of text) {
      if (char === '\n' && this.#afterCarriageReturn) {
        this.#afterCarriageReturn = false; // the "\n" of a "\r\n": the line is already out
        continue;
      }
      this.#afterCarriageReturn = char === '\r';
      if (char === '\n' || char === '\r') {
        this.#onLine(this.#pending);
        this.#pending = '';
      } else {
        this.#pending += char;
      }
    }
  }

  /** Flushes a last line without a line ending. */
  end(): void {
    this.#pending += this.#decoder.decode();
    if (this.#pending !== '') this.#onLine(this.#pending);
    this.#pending = '';
  }
}
