// Starts the bench's OTLP/HTTP receiver (otlp-sink-child.ts) in a child process: a traced host
// exports to it over loopback, and its parsing never counts as the host's CPU.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface OtlpSinkReport {
  /** Export requests received. */
  readonly exports: number;
  readonly spans: number;
  /** The receiver's own CPU time (its start included), µs. */
  readonly cpuMicros: number;
}

export interface OtlpSink {
  /** The base endpoint, as `--otlp-endpoint` takes it. */
  readonly url: string;
  /** What it received; the child exits after answering. */
  stop(): Promise<OtlpSinkReport>;
}

const childPath = fileURLToPath(new URL('./otlp-sink-child.js', import.meta.url));

export async function startOtlpSink(): Promise<OtlpSink> {
  const child = fork(childPath, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`the OTLP receiver exited with code ${code} before listening`)));
  });
  return {
    url,
    stop: () =>
      new Promise<OtlpSinkReport>((resolve, reject) => {
        child.once('message', (message: OtlpSinkReport) => resolve(message));
        child.once('exit', (code) => reject(new Error(`the OTLP receiver exited with code ${code} before reporting`)));
        child.send('report');
      }),
  };
}
