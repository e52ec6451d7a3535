// Scenario 1: deploy -> first response. POSTs each example's bundle to the admin API of a host with a
// cold data directory and times until its route first answers 200 (transpile + compile + first
// instance). Baseline in the same run: the same component redeployed under a new name, whose
// transpile and compile are cached, so the ratio shows what the cold path adds.
import { request } from 'undici';
import type { Packer } from '../bundle.js';
import { zipExample } from '../bundle.js';
import type { Example } from '../examples.js';
import { progress } from '../progress.js';

export interface DeployTiming {
  /** POST start -> first 200 from the route. */
  readonly totalMs: number;
  /** POST start -> admin API answered. */
  readonly postMs: number;
  /** Admin API answered -> first 200 (routing + loading the glue in a worker + first instance). */
  readonly firstResponseMs: number;
  readonly postStatus: number;
  /** Status of the last GET; anything but 200 means the route never answered. */
  readonly lastGetStatus: number;
}

export interface DeployRow {
  readonly example: string;
  readonly cold: DeployTiming;
  /** Same component, new function name and route: artifacts and compiled code are cached. */
  readonly cachedComponent: DeployTiming;
}

/** Not an assertion: a guard so a broken deploy cannot hang the whole run. */
const giveUpAfterMs = 60_000;
/** Pause between GETs while the route is not yet serving. */
const pollIntervalMs = 5;

export async function measureDeploys(urls: { http: string; admin: string; token: string }, examples: readonly Example[], packer: Packer): Promise<DeployRow[]> {
  const rows: DeployRow[] = [];
  for (const example of examples) {
    progress(`deploy: ${example.name} (cold, bundle via ${packer.via})`);
    const cold = await deployAndWait(urls, await packer.pack(example), example.route);
    progress(`deploy: ${example.name} cold ${cold.totalMs.toFixed(0)} ms; redeploying the same component under a new name`);
    const againRoute = `${example.route}-again`;
    const cachedComponent = await deployAndWait(urls, await zipExample(example, renamedManifest(example, againRoute)), againRoute);
    rows.push({ example: example.name, cold, cachedComponent });
  }
  return rows;
}

async function deployAndWait(urls: { http: string; admin: string; token: string }, zip: Uint8Array, route: string): Promise<DeployTiming> {
  const started = performance.now();
  const posted = await request(`${urls.admin}/v1/functions`, {
    method: 'POST',
    body: zip,
    headers: { 'content-type': 'application/zip', authorization: `Bearer ${urls.token}` },
  });
  const postBody = await posted.body.text();
  const answered = performance.now();
  if (posted.statusCode >= 300) progress(`deploy: admin API answered ${posted.statusCode}: ${postBody.slice(0, 300)}`);
  let lastGetStatus = 0;
  while (posted.statusCode < 300 && performance.now() - started < giveUpAfterMs) {
    const response = await request(`${urls.http}${route}?name=bench`);
    await response.body.dump();
    lastGetStatus = response.statusCode;
    if (lastGetStatus === 200) break;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  const finished = performance.now();
  return {
    totalMs: finished - started,
    postMs: answered - started,
    firstResponseMs: finished - answered,
    postStatus: posted.statusCode,
    lastGetStatus,
  };
}

function renamedManifest(example: Example, route: string): string {
  const limits = example.memoryMb !== undefined ? `\n[limits]\nmemory_mb = ${example.memoryMb}\n` : '';
  return `name = "${example.name}-again"\ncomponent = "${example.componentFile}"\n\n[[http]]\nroute = "${route}"\nmethods = ["GET"]\n${limits}`;
}
