// Schedules end to end in one process: ticks at the expected times, each delivered once across a
// restart, and a tick missed while the host was down delivered once when it is back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { OffsetClock, peek, waitFor } from '../support/queue-helpers.js';
import { startTestHost } from '../support/test-host.js';

const manifest = `name = "ticker"
component = "component.wasm"
publish = ["probe-out"]

[[schedule]]
name = "every-second"
rate = "1s"
`;

/** scheduledAt of each "schedule <name> <ms>" report. */
async function ticks(host: Parameters<typeof peek>[0]): Promise<number[]> {
  return (await peek(host, 'probe-out')).map((m) => Number(m.text!.split(' ')[2]));
}

describe('schedule trigger', () => {
  test('a 1s rate ticks on whole seconds; a restart neither loses nor doubles a tick', async () => {
    const clock = new OffsetClock();
    let host = await startTestHost({ clock });
    const dataDir = host.dataDir;
    const deployed = await host.deploy(bundleWith(manifest, fixtureComponent('queue-probe')));
    assert.equal(deployed.status, 201, await deployed.text());
    await waitFor('two ticks', async () => ((await ticks(host)).length >= 2 ? true : undefined));
    await host.close(false);

    clock.offsetMs += 5_000; // five seconds of downtime
    const downFrom = Date.now() + clock.offsetMs - 5_000;
    host = await startTestHost({ clock }, dataDir);
    try {
      const restartedAt = clock.now();
      await waitFor('a tick after the restart', async () => ((await ticks(host)).some((t) => t > restartedAt) ? true : undefined));
      const seen = await ticks(host);
      assert.ok(seen.every((t) => t % 1000 === 0), `ticks on whole seconds: ${seen.join(', ')}`);
      assert.equal(new Set(seen).size, seen.length, `no tick twice: ${seen.join(', ')}`);
      const sorted = [...seen].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i]! - sorted[i - 1]!, 1000, `no tick lost: ${sorted.join(', ')}`);
      assert.ok(sorted.some((t) => t > downFrom && t < restartedAt), 'the ticks missed while down were delivered');
    } finally {
      await host.close();
    }
  });

  test('a failing schedule is retried, then given up without blocking the next ticks', async () => {
    const host = await startTestHost();
    try {
      const deployed = await host.deploy(bundleWith(`name = "flaky"
component = "component.wasm"
publish = ["probe-out"]

[[schedule]]
name = "failing"
rate = "1s"
max_attempts = 2
backoff = { initial_ms = 10, max_ms = 10 }

[[schedule]]
name = "fine"
rate = "1s"
`, fixtureComponent('queue-probe')));
      assert.equal(deployed.status, 201, await deployed.text());
      await waitFor('the healthy schedule to tick twice', async () => ((await peek(host, 'probe-out')).length >= 2 ? true : undefined));
      const logs = (await (await host.admin('/v1/functions/flaky/logs')).json()) as { logs: Array<{ message: string }> };
      assert.ok(logs.logs.some((l) => /failing schedule/.test(l.message)), 'the failure is in the function log');
      assert.ok((await peek(host, 'probe-out')).every((m) => m.text!.startsWith('schedule fine ')));
    } finally {
      await host.close();
    }
  });
});
