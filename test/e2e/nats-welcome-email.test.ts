// examples/welcome-email, unchanged (built from source, its own manifest), on two `wasmlet serve --nats`
// hosts sharing one NATS server, deployed once (on A; the registry is shared): sign-ups are posted to
// host B's POST /signup while both hosts consume the "signups" queue; host A is SIGKILLed and started
// again, then host B (while B is down the posts go to A, as a load balancer would send them). Every
// sign-up that was accepted (202 with its message id) ends as a rendered e-mail in the "emails"
// outbox, whichever host ran it (more than one: counted and reported). Each host's own invocation
// counter shows that both consumed.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import { connect } from '@nats-io/transport-node';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import { adminRequest, runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { invocationsOf } from '../support/host-metrics.js';
import { startNatsServer } from '../support/nats-server.js';
import { examplesDir, repoRoot } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

/** Sign-ups are posted until both kills are over (so both hosts always have work), at most this many. */
const maxSignups = 5_000;
/** Posts in flight at once. */
const posters = 3;
/** A cold JS build on 2 cores. */
const buildTimeoutMs = 300_000;

interface Email {
  readonly attributes: Record<string, string>;
}

test('examples/welcome-email on two hosts sharing one NATS: sign-ups posted to B are consumed by A and B, none lost when A, then B, is SIGKILLed', { timeout: 900_000 }, async (t) => {
  const scratch = await mkdtemp(join(tmpdir(), 'wasmlet-nats-welcome-'));
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
  const dirA = join(scratch, 'a');
  const dirB = join(scratch, 'b');
  const natsArgs = ['--nats', nats.servers, '--workers', '2'];
  let a: ServingHost | undefined;
  let b: ServingHost | undefined;
  let posting = true;
  const postLoops: Promise<void>[] = [];
  try {
    // The example as committed, built in a scratch copy beside a link to sdk/ (its relative SDK path holds).
    await symlink(join(repoRoot, 'sdk'), join(scratch, 'sdk'));
    await mkdir(join(scratch, 'examples'));
    const source = join(scratch, 'examples', 'welcome-email');
    await cp(join(examplesDir, 'welcome-email'), source, { recursive: true, filter: (path) => !/\/node_modules(\/|$)/.test(path) && !path.endsWith('.wasm') && !path.endsWith('.zip') });
    const bundlePath = join(scratch, 'welcome-email.zip');
    const built = await runCli(['build', source, '--out', bundlePath, '--json'], {}, buildTimeoutMs);
    assert.equal(built.code, 0, `build welcome-email:\n${built.stdout}\n${built.stderr}`);
    const bundle = await readFile(bundlePath);

    a = await startServe(['--data-dir', dirA, ...natsArgs]);
    b = await startServe(['--data-dir', dirB, ...natsArgs]);
    // Deployed once, on A: B serves /signup and consumes "signups" from the shared registry.
    const deployed = await adminRequest(a, '/v1/functions', { method: 'POST', body: bundle });
    assert.equal(deployed.status, 201, deployed.text);
    await waitFor('welcome-email on host B', async () => ((await adminRequest(b!, '/v1/functions/welcome-email')).status === 200 ? true : undefined), 30_000);

    // Sign-ups go to B; while B is down, to A. Only a 202 counts as accepted.
    const accepted = new Set<string>();
    let refused = 0;
    let attempted = 0;
    let bDown = false;
    const target = () => (bDown ? a! : b!);
    for (let p = 0; p < posters; p++) {
      postLoops.push((async () => {
        while (posting && attempted < maxSignups) {
          const n = attempted++;
          try {
            const response = await request(`${target().urls.http}/signup`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email: `user${n}@example.com`, name: `User ${n}` }),
            });
            const text = await response.body.text();
            if (response.statusCode === 202) accepted.add((JSON.parse(text) as { id: string }).id);
            else refused++;
          } catch {
            refused++; // the host died under the request: not accepted, so not owed
            await delay(50);
          }
        }
      })());
    }
    const consumed = { a: 0, b: 0 };
    /** The shared queue's state, read through `host`. */
    const backlogOf = async (host: ServingHost) => {
      const stats = await adminRequest(host, '/v1/queues/signups');
      return stats.json() as { visible: number; inFlight: number };
    };
    const describe = ({ visible, inFlight }: { visible: number; inFlight: number }) => `${visible} visible, ${inFlight} in flight`;
    const ran = (host: ServingHost) => invocationsOf(host, 'welcome-email', 'queue');

    await waitFor('both hosts to consume sign-ups', async () => ((await ran(a!)) > 0 && (await ran(b!)) > 0 ? true : undefined), 120_000);
    // Killed with leases held somewhere (the queue cannot say whose): what A held comes back after 30 s.
    await waitFor('sign-ups in flight', async () => ((await backlogOf(b!)).inFlight > 0 ? true : undefined), 60_000);
    consumed.a += await ran(a);
    await a.kill();
    t.diagnostic(`host A SIGKILLed after ${accepted.size} sign-ups accepted (${describe(await backlogOf(b))})`);
    a = await startServe(['--data-dir', dirA, ...natsArgs]);

    // B is killed once the restarted A consumes again and B has run more since (work in flight on both).
    const bBefore = await ran(b);
    await waitFor('the restarted A to consume and B to keep consuming', async () => ((await ran(a!)) > 0 && (await ran(b!)) > bBefore ? true : undefined), 120_000);
    await waitFor('sign-ups in flight', async () => ((await backlogOf(b!)).inFlight > 0 ? true : undefined), 60_000);
    consumed.b += await ran(b);
    bDown = true;
    await b.kill();
    t.diagnostic(`host B SIGKILLed after ${accepted.size} sign-ups accepted (${describe(await backlogOf(a))})`);
    b = await startServe(['--data-dir', dirB, ...natsArgs]);
    bDown = false;
    await waitFor('the restarted B to consume', async () => ((await ran(b!)) > 0 ? true : undefined), 120_000);
    posting = false;
    await Promise.all(postLoops);

    // The killed hosts' leases lapse after the visibility timeout (30 s); then either host runs them.
    const expected = [...accepted];
    // Read with the queue store's own listing (the admin API's peek stops at 1,000 messages).
    const reader = new JetStreamQueueStore({ connection: nc });
    const outbox = async (): Promise<Email[]> => (await reader.list('emails', { limit: 10_000 })).map((m) => ({ attributes: m.attributes }));
    // A sign-up leaves its queue only after its e-mail was published (the outbox is published first, then acked).
    await waitFor('the signups queue to drain', async () => {
      const { visible, inFlight } = await backlogOf(b!);
      return visible + inFlight === 0 ? true : undefined;
    }, 240_000);
    const emails = await outbox();
    const bySignup = new Map<string, number>();
    for (const email of emails) bySignup.set(email.attributes['signup-id']!, (bySignup.get(email.attributes['signup-id']!) ?? 0) + 1);
    const missing = expected.filter((id) => !bySignup.has(id));
    assert.deepEqual(missing, [], `${missing.length} accepted sign-up(s) lost`);
    const dead = await adminRequest(b, '/v1/queues/signups-dlq/messages?limit=1000');
    assert.deepEqual((dead.json() as { messages: unknown[] }).messages, [], 'no valid sign-up dead-lettered');
    consumed.a += await ran(a);
    consumed.b += await ran(b);
    const duplicates = [...bySignup.values()].reduce((sum, n) => sum + n - 1, 0);
    t.diagnostic(`${accepted.size} sign-ups accepted (${refused} posts refused or cut by a kill), ${emails.length} e-mails (${bySignup.size} sign-ups, ${duplicates} duplicate e-mail(s)); `
      + `queue batches run: A ${consumed.a}, B ${consumed.b} (counted up to each kill; batches a host ran but had not settled when killed are run again)`);
  } finally {
    posting = false;
    await Promise.allSettled(postLoops);
    await a?.stop();
    await b?.stop();
    await nc.close();
    await nats.stop();
    await rm(scratch, { recursive: true, force: true });
  }
});
