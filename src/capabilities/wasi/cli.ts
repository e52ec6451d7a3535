// wasi:cli for one instance: only the manifest's environment, no arguments, empty stdin,
// stdout/stderr into the invocation log, exit as a trap, no terminal.
import { GuestExit } from '../guest-exit.js';
import type { InvocationLog } from '../invocation-log.js';
import { emptyInput, InputStream, OutputStream } from './streams.js';

export class TerminalInput {}
export class TerminalOutput {}

export function createCliImports(env: Readonly<Record<string, string>>, log: InvocationLog) {
  const environment = Object.entries(env);
  const stdin = new InputStream(emptyInput);
  const stdout = new OutputStream((bytes) => log.write('stdout', bytes));
  const stderr = new OutputStream((bytes) => log.write('stderr', bytes));
  return {
    'wasi:cli/environment': {
      getEnvironment: () => environment,
      getArguments: () => [],
      initialCwd: () => undefined,
    },
    'wasi:cli/exit': {
      exit(status: { tag: 'ok' | 'err' }): never {
        throw new GuestExit(status.tag === 'ok' ? 0 : 1);
      },
      exitWithCode(code: number): never {
        throw new GuestExit(code);
      },
    },
    'wasi:cli/stdin': { getStdin: () => stdin },
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stderr': { getStderr: () => stderr },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
  };
}
