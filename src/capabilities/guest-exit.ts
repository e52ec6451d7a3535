// Thrown when a guest calls WASI exit: it ends the instance (a trap for the host), never the host process.

export class GuestExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`the function called exit(${exitCode})`);
    this.name = 'GuestExit';
    this.exitCode = exitCode;
  }
}
