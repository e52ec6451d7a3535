// Lambda's changes to a function read its current manifest, edit it and deploy it: two at once would
// both edit the same old manifest, and the second deploy would undo the first's change (Lambda
// answers "an update is in progress"). Here they wait for each other and run one at a time.
export class ChangeQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every change queued before it has ended (whether it succeeded or not). */
  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.catch(() => undefined).then(work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
