import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildProgress, quietLine, quietNoticeMs, spinnerLine, type ProgressClock } from './build-progress.js';

/** A clock the test moves by hand; `every` timers fire as time passes them. */
function manualClock(): ProgressClock & { advance(ms: number): void; readonly timers: number } {
  let now = 0;
  let timers: { ms: number; next: number; tick: () => void }[] = [];
  return {
    now: () => now,
    every(ms, tick) {
      const timer = { ms, next: now + ms, tick };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.ms;
        due.tick();
      }
      now = end;
    },
    get timers() {
      return timers.length;
    },
  };
}

test('plain output: steps, prefixed lines, and a "still building" line per 5 s of silence', () => {
  const clock = manualClock();
  let text = '';
  const progress = new BuildProgress({ write: (t) => void (text += t), tty: false, clock });
  progress.start('f', 'rust');
  progress.step('building with toolchains/rust/build.sh');
  clock.advance(3_000);
  progress.output('   Compiling wasmlet v0.1.0');
  clock.advance(4_000); // 4 s of silence: nothing yet
  assert.doesNotMatch(text, /still/);
  clock.advance(1_000); // 5 s
  clock.advance(quietNoticeMs); // 10 s
  progress.output('    Finished release');
  clock.advance(2_000);
  progress.finish();
  clock.advance(60_000);
  assert.equal(
    text,
    [
      '==> building with toolchains/rust/build.sh',
      '[rust]    Compiling wasmlet v0.1.0',
      '[rust] still building, 8 s',
      '[rust] still building, 13 s',
      '[rust]     Finished release',
      '',
    ].join('\n'),
  );
  assert.equal(clock.timers, 0);
});

test('a terminal: a spinner line redrawn in place, cleared for every output line and at the end', () => {
  const clock = manualClock();
  let text = '';
  const progress = new BuildProgress({ write: (t) => void (text += t), tty: true, clock });
  progress.start('f', 'c');
  progress.step('building with toolchains/c/build.sh');
  clock.advance(250);
  progress.output('componentize: f.wasm');
  progress.finish();
  const clear = '\r\u001b[K';
  assert.equal(
    text,
    [
      '==> building with toolchains/c/build.sh\n',
      `${clear}⠋ c: building with toolchains/c/build.sh, 0 s`,
      `${clear}⠙ c: building with toolchains/c/build.sh, 0 s`,
      `${clear}⠹ c: building with toolchains/c/build.sh, 0 s`,
      `${clear}[c] componentize: f.wasm\n`,
      `${clear}⠹ c: building with toolchains/c/build.sh, 0 s`,
      clear,
    ].join(''),
  );
  assert.equal(clock.timers, 0);
});

test('the progress lines', () => {
  assert.equal(quietLine('go', 12_999), '[go] still building, 12 s');
  assert.equal(spinnerLine(11, 'js', 'building', 61_000), '⠙ js: building, 61 s');
  const long = spinnerLine(0, 'c', `building with [build] command: ${'x'.repeat(100)}`, 0);
  assert.ok(long.length < 80, long);
  assert.match(long, /…, 0 s$/);
});

test('finish before any step writes nothing', () => {
  let text = '';
  new BuildProgress({ write: (t) => void (text += t), tty: true, clock: manualClock() }).finish();
  assert.equal(text, '');
});
