// The bench's side of its peer process (peer-child.ts): the upstream guests call, and a load client
// for the host's routes, both in one child process started here.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CallRecord, PeerCommand, PeerReply, RoundRecord } from './peer-protocol.js';

export type { CallRecord, RoundRecord } from './peer-protocol.js';

/** Time the peer gets to close its sockets and exit after the bench lets it go. */
const peerExitGraceMs = 2_000;
const childPath = fileURLToPath(new URL('./peer-child.js', import.meta.url));

export interface Peer {
  /** The upstream's port on 127.0.0.1. */
  readonly upstreamPort: number;
  /** `concurrency` calls of `url` at once, `rounds` times; one record per round. */
  rounds(url: string, concurrency: number, rounds: number): Promise<readonly RoundRecord[]>;
  /** Starts `concurrency` loops calling `url` back to back; resolves once they are under way. */
  startLoad(url: string, concurrency: number): Promise<void>;
  /** Stops the loops, waits for their calls in flight, and returns what they measured. */
  stopLoad(): Promise<{ readonly calls: CallRecord; readonly seconds: number }>;
  /** The peer's CPU time so far (user + system), µs: its upstream and load client count as the bench's, not as others'. */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

export async function startPeer(): Promise<Peer> {
  const child = fork(childPath, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting: ((reply: PeerReply) => void)[] = [];
  let exited: Error | undefined;
  const next = () =>
    new Promise<PeerReply>((resolve, reject) => {
      if (exited) return reject(exited);
      waiting.push(resolve);
    });
  child.on('message', (reply: PeerReply) => waiting.shift()?.(reply));
  child.once('exit', (code) => {
    exited = new Error(`the bench's peer process exited (code ${code})`);
    for (const resolve of waiting.splice(0)) resolve({ kind: 'error', message: exited.message });
  });
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`peer process did not start: ${ready.kind === 'error' ? ready.message : ready.kind}`);
  const ask = async <K extends PeerReply['kind']>(command: PeerCommand, expected: K): Promise<Extract<PeerReply, { kind: K }>> => {
    const answer = next();
    child.send(command);
    const reply = await answer;
    if (reply.kind === 'error') throw new Error(`peer process: ${reply.message}`);
    if (reply.kind !== expected) throw new Error(`peer process: expected ${expected}, got ${reply.kind}`);
    return reply as Extract<PeerReply, { kind: K }>;
  };
  return {
    upstreamPort: ready.upstreamPort,
    rounds: async (url, concurrency, rounds) => (await ask({ kind: 'rounds', url, concurrency, rounds }, 'rounds')).rounds,
    startLoad: async (url, concurrency) => void (await ask({ kind: 'start', url, concurrency }, 'started')),
    stopLoad: async () => {
      const { calls, seconds } = await ask({ kind: 'stop' }, 'stopped');
      return { calls, seconds };
    },
    cpuMicros: async () => (await ask({ kind: 'cpu' }, 'cpu')).cpuMicros,
    close: () => stopPeerProcess(child),
  };
}

/** Ends a peer child process: disconnect, then kill it if it lingers. */
export function stopPeerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.disconnect();
    // It ends by itself once its sockets close; a peer stuck on something else is not worth waiting for.
    setTimeout(() => child.kill(), peerExitGraceMs).unref();
  });
}
