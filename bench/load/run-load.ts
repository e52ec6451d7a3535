// Runs one load job in a fresh child process (load-client.ts) and resolves with its summary.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadReply, LoadSummary } from './load-job.js';

const clientPath = fileURLToPath(new URL('./load-client.js', import.meta.url));

/** `execArgv`: the client's Node options (default: this process's; a profiled process passes none). */
export function runLoad(job: LoadJob, execArgv?: readonly string[]): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    const child = fork(clientPath, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], ...(execArgv ? { execArgv: [...execArgv] } : {}) });
    let reply: LoadReply | undefined;
    child.once('message', (message: LoadReply) => {
      reply = message;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (reply?.ok) resolve(reply.summary);
      else reject(new Error(reply ? `load client failed: ${reply.message}` : `load client exited with code ${code} before answering`));
    });
    child.send(job);
  });
}
