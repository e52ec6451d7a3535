// Debian's Chromium, headless, through playwright-core (installed by `npm run toolchains`; no browser
// download). One launch setup for every browser test: the flags, a fresh profile, cleanup.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** From shared notes: without the networking flags Chromium floods the closed network with refused connections. */
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface HeadlessChromium {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * @param extraArgs Chromium flags beyond the common ones (e.g. --host-resolver-rules)
 * @example const browser = await launchChromium(); const page = await browser.context.newPage();
 */
export async function launchChromium(extraArgs: readonly string[] = [], options: { readonly viewport?: { width: number; height: number } } = {}): Promise<HeadlessChromium> {
  // A browser test never skips: without Chromium it fails, saying how to install it.
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is not installed: run npm run toolchains (it installs Debian's chromium)`);
  const profile = await mkdtemp(join(tmpdir(), 'wasmlet-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs, ...extraArgs],
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
    return {
      context,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}
