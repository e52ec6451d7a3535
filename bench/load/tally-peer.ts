// The bench's handle on a tally peer (tally-child.ts): a load client in a child process whose calls
// are counted by status. The noisy-neighbour scenario runs two, the healthy clients and the attacker.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StatusTally } from './status-tally.js';
import { stopPeerProcess } from './peer-process.js';
import type { TallyCommand, TallyReply } from './tally-protocol.js';

const childPath = fileURLToPath(new URL('./tally-child.js', import.meta.url));

export interface TallyPeer {
  /** Starts `concurrency` loops calling `url` back to back (at most `maxCalls` calls in all); resolves once they are under way. */
  startLoad(url: string, concurrency: number, maxCalls?: number): Promise<void>;
  /**
   * Stops the loops and returns what they counted, and the seconds from their start to the stop
   * (`abort`) or to the last call's end. `abort`: calls in flight are cut (and counted as cut).
   */
  stopLoad(abort: boolean): Promise<{ readonly tally: StatusTally; readonly seconds: number }>;
  /** The peer's CPU time so far (user + system), µs: its clients count as the bench's, not as others'. */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

export async function startTallyPeer(): Promise<TallyPeer> {
  const child = fork(childPath, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting: ((reply: TallyReply) => void)[] = [];
  let exited: Error | undefined;
  const next = () =>
    new Promise<TallyReply>((resolve, reject) => {
      if (exited) return reject(exited);
      waiting.push(resolve);
    });
  child.on('message', (reply: TallyReply) => waiting.shift()?.(reply));
  child.once('exit', (code) => {
    exited = new Error(`a tally peer process exited (code ${code})`);
    for (const resolve of waiting.splice(0)) resolve({ kind: 'error', message: exited.message });
  });
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`tally peer did not start: ${ready.kind === 'error' ? ready.message : ready.kind}`);
  const ask = async <K extends TallyReply['kind']>(command: TallyCommand, expected: K): Promise<Extract<TallyReply, { kind: K }>> => {
    const answer = next();
    child.send(command);
    const reply = await answer;
    if (reply.kind === 'error') throw new Error(`tally peer: ${reply.message}`);
    if (reply.kind !== expected) throw new Error(`tally peer: expected ${expected}, got ${reply.kind}`);
    return reply as Extract<TallyReply, { kind: K }>;
  };
  return {
    startLoad: async (url, concurrency, maxCalls) => void (await ask({ kind: 'start', url, concurrency, maxCalls }, 'started')),
    stopLoad: async (abort) => {
      const { tally, seconds } = await ask({ kind: 'stop', abort }, 'stopped');
      return { tally, seconds };
    },
    cpuMicros: async () => (await ask({ kind: 'cpu' }, 'cpu')).cpuMicros,
    close: () => stopPeerProcess(child),
  };
}
