// How `wasmlet build` shows a running build on stderr: every step announced, every line of the
// recipe's output prefixed with the language, and the elapsed time while the recipe is quiet
// (a line every few seconds; on a terminal, a spinner redrawn in place instead).
import type { BuildEvents } from '../build/build-function.js';
import type { BuildLanguage } from '../manifest/manifest.js';

/** Silence after which a plain-output build says it is still running; also the interval between such lines. */
export const quietNoticeMs = 5_000;
/** How often silence is checked: a notice comes at most this late. */
const quietCheckMs = 1_000;
/** Spinner frame interval on a terminal: fast enough to look alive, slow enough to cost nothing. */
export const spinnerFrameMs = 100;
const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Carriage return + erase line: the spinner's line is redrawn, never scrolled. */
const clearLine = '\r\u001b[K';

/** Time, injectable so tests step it instead of sleeping. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: ProgressClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

export interface BuildProgressOptions {
  readonly write: (text: string) => void;
  /** A terminal: a spinner line redrawn in place instead of periodic "still building" lines. */
  readonly tty: boolean;
  readonly clock?: ProgressClock;
}

/** `[rust] still building, 10 s` */
export function quietLine(language: string, elapsedMs: number): string {
  return `[${language}] still building, ${Math.floor(elapsedMs / 1000)} s`;
}

/** A redrawn line must not wrap, or "\r" no longer returns to its start; 60 fits any terminal with the prefix. */
const maxSpinnerStepChars = 60;

/** `⠋ rust: building with toolchains/rust/build.sh, 3 s` */
export function spinnerLine(frame: number, language: string, step: string, elapsedMs: number): string {
  const shown = [...step].length > maxSpinnerStepChars ? `${[...step].slice(0, maxSpinnerStepChars - 1).join('')}…` : step;
  return `${spinnerFrames[frame % spinnerFrames.length]} ${language}: ${shown}, ${Math.floor(elapsedMs / 1000)} s`;
}

/** Renders BuildEvents; call finish() when the build is over, whatever its outcome. */
export class BuildProgress implements BuildEvents {
  readonly #write: (text: string) => void;
  readonly #tty: boolean;
  readonly #clock: ProgressClock;
  #language = 'build';
  #step = '';
  #stepStartedAt = 0;
  #lastActivityAt = 0;
  #frame = 0;
  #stopTimer: (() => void) | undefined;

  constructor(options: BuildProgressOptions) {
    this.#write = options.write;
    this.#tty = options.tty;
    this.#clock = options.clock ?? systemClock;
  }

  start(_name: string, language: BuildLanguage): void {
    this.#language = language;
  }

  step(text: string): void {
    this.#clearSpinner();
    this.#write(`==> ${text}\n`);
    this.#step = text;
    this.#stepStartedAt = this.#lastActivityAt = this.#clock.now();
    this.#stopTimer ??= this.#tty ? this.#clock.every(spinnerFrameMs, () => this.#spin()) : this.#clock.every(quietCheckMs, () => this.#checkQuiet());
    this.#drawSpinner();
  }

  output(line: string): void {
    this.#clearSpinner();
    this.#write(`[${this.#language}] ${line}\n`);
    this.#lastActivityAt = this.#clock.now();
    this.#drawSpinner();
  }

  finish(): void {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.#clearSpinner();
    this.#step = '';
  }

  #checkQuiet(): void {
    const now = this.#clock.now();
    if (now - this.#lastActivityAt < quietNoticeMs) return;
    this.#write(`${quietLine(this.#language, now - this.#stepStartedAt)}\n`);
    this.#lastActivityAt = now;
  }

  #spin(): void {
    this.#frame++;
    this.#drawSpinner();
  }

  #drawSpinner(): void {
    if (this.#tty && this.#step) this.#write(`${clearLine}${spinnerLine(this.#frame, this.#language, this.#step, this.#clock.now() - this.#stepStartedAt)}`);
  }

  #clearSpinner(): void {
    if (this.#tty && this.#step) this.#write(clearLine);
  }
}
