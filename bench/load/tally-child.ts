// Child-process entry of a tally peer (tally-peer.ts): loops calling one URL, every call counted by
// status (status-tally.ts). Out of the bench's process so that the clients do not share an event
// loop with the host under test, and one process per load so that an attacker's clients do not
// share one with the healthy clients they are measured against (all still share the cores).
import { Agent } from 'undici';
import { newStatusTally, tallyCall, type MutableStatusTally } from './status-tally.js';
import type { TallyCommand, TallyReply } from './tally-protocol.js';

/**
 * Far beyond the longest call the bench makes (a 59 s busy guest under a 60 s deadline): the host's
 * deadlines decide when a call ends, never the client. undici's own default is 300 s.
 */
const clientTimeoutMs = 120_000;
/** Keep-alive, no cap on connections per origin: `concurrency` loops get as many sockets. */
const client = new Agent({ connections: null, headersTimeout: clientTimeoutMs, bodyTimeout: clientTimeoutMs });

interface Loops {
  stopping: boolean;
  readonly startedAt: number;
  /** One controller per call in flight (one signal shared by every call would collect a listener per call). */
  readonly inFlight: Set<AbortController>;
  readonly tally: MutableStatusTally;
  done: Promise<void>;
}
let loops: Loops | undefined;

const reply = (message: TallyReply) => process.send?.(message);

process.on('message', (command: TallyCommand) => {
  handle(command).then(reply, (err: unknown) => reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
});
process.on('disconnect', () => {
  for (const call of loops?.inFlight ?? []) call.abort();
  void client.destroy();
});
reply({ kind: 'ready' });

async function handle(command: TallyCommand): Promise<TallyReply> {
  switch (command.kind) {
    case 'start': {
      if (loops) throw new Error('the load is already running');
      const running: Loops = { stopping: false, startedAt: performance.now(), inFlight: new Set(), tally: newStatusTally(), done: Promise.resolve() };
      let left = command.maxCalls ?? Infinity;
      const loop = async () => {
        while (!running.stopping && left > 0) {
          left--; // taken before the call, so the loops together start at most maxCalls
          const call = new AbortController();
          running.inFlight.add(call);
          await tallyCall(client, command.url, running.tally, call.signal);
          running.inFlight.delete(call);
        }
      };
      running.done = Promise.all(Array.from({ length: command.concurrency }, loop)).then(() => undefined);
      loops = running;
      return { kind: 'started' };
    }
    case 'stop': {
      if (!loops) throw new Error('no load is running');
      const running = loops;
      running.stopping = true;
      const stoppedAt = performance.now();
      if (command.abort) for (const call of running.inFlight) call.abort();
      await running.done;
      loops = undefined;
      // Aborted: the load ran until the stop; drained: until its last call ended.
      const endedAt = command.abort ? stoppedAt : performance.now();
      return { kind: 'stopped', tally: running.tally, seconds: (endedAt - running.startedAt) / 1000 };
    }
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return { kind: 'cpu', cpuMicros: user + system };
    }
  }
}
