// The bench's handle on its load generator (load-child.ts), a process of its own: the load's CPU is
// then not counted as the host's (in-process with --local), and its share of the machine is reported.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, LoadJob, LoadResult, ParentMessage } from './load-protocol.js';

const childPath = fileURLToPath(new URL('./load-child.js', import.meta.url));

export interface Progress {
  readonly completed: number;
  readonly failed: number;
}

export interface LoadGenerator {
  /** Runs one job; `onProgress` sees the running counts every 250 ms. */
  run(job: Omit<LoadJob, 'id'>, onProgress?: (progress: Progress) => void): Promise<LoadResult>;
  /** Ends the current job early; it still resolves, with `interrupted` and what it measured. */
  stop(): void;
  close(): Promise<void>;
}

/**
 * @example
 * const generator = startLoadGenerator();
 * const result = await generator.run({ target: { kind: 'http', url: 'http://127.0.0.1:8080/hello/c', method: 'GET', headers: {} }, connections: 4, durationMs: 2000 });
 * await generator.close();
 */
export function startLoadGenerator(): LoadGenerator {
  // No inspector or loader flags of the parent: the child is a plain load loop.
  const child: ChildProcess = fork(childPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  let nextId = 1;
  let current: { id: number; resolve: (result: LoadResult) => void; reject: (err: Error) => void; onProgress?: ((p: Progress) => void) | undefined } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: ChildMessage) => {
    if (!current || message.id !== current.id) return;
    if (message.type === 'progress') current.onProgress?.({ completed: message.completed, failed: message.failed });
    else if (message.type === 'done') (current.resolve(message.result), (current = undefined));
    else (current.reject(new Error(`the load generator failed: ${message.message}`)), (current = undefined));
  });
  child.once('exit', (code, signal) => {
    current?.reject(new Error(`the load generator exited (${signal ?? code}) during a job`));
    current = undefined;
  });
  const send = (message: ParentMessage) => {
    if (child.connected) child.send(message);
  };
  return {
    run(job, onProgress) {
      if (current) return Promise.reject(new Error('the load generator runs one job at a time'));
      const id = nextId++;
      return new Promise<LoadResult>((resolve, reject) => {
        current = { id, resolve, reject, onProgress };
        send({ type: 'job', job: { ...job, id } });
      });
    },
    stop() {
      send({ type: 'stop' });
    },
    async close() {
      send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
