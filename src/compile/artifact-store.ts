// Transpiled components on disk, keyed by (component digest, jco version, host ABI version):
// transpiling happens once per component, ever; restarts and redeploys reuse the artifacts. The
// component's printed WIT lives beside them, so deploying a known component needs no toolchain.
// A directory no kept version needs is removed by gc/content-collector.ts (see `inventory`).
// The fold of its core modules (compile/fold-core-modules.ts) is added to a directory later, once the
// host's background fold is done (`saveFold`, between deploys and collections: compile/fold-queue.ts).
import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { temporarySuffix, writeFileAtomic } from '../store/atomic-write.js';
import type { StoredEntry } from '../store/stored-entry.js';
import { foldedModuleName, foldRefusedFile, glueWithFoldPlan, type FoldResult } from './fold-core-modules.js';
import { glueGeneratorVersion, hostAbiVersion } from './toolchain-version.js';

export interface Artifacts {
  readonly dir: string;
  /** Absolute path of the ES module exporting `instantiate` (once folded, the one that carries the fold plan). */
  readonly gluePath: string;
  /** Core module file names, as the glue asks for them. */
  readonly coreModules: readonly string[];
  /** The core modules folded into one (compile/fold-core-modules.ts), once the component was folded. */
  readonly folded?: string;
  /** The fold was refused for good (the reason in fold-refused.txt): the component stays on the glue's path. */
  readonly foldRefused?: true;
}

interface ArtifactIndex {
  readonly glue: string;
  readonly coreModules: readonly string[];
  readonly folded?: string;
  readonly foldRefused?: true;
}

const indexFile = 'artifacts.json';
/**
 * The world as `component wit` printed it. Keyed like the artifacts: the printer ships with jco, so
 * a jco upgrade reprints it. Written after the directory exists, so artifacts older than this file
 * (or transpiled by the code cache) simply lack it until their next deploy prints it once.
 */
const witFile = 'world.wit';
/** The name jco gives the glue; core modules are named after it (fn.core.wasm, fn.core2.wasm, ...). */
export const glueBaseName = 'fn';
/**
 * The glue with the fold plan appended, written with the folded module. A file of its own: workers
 * that loaded the component before its fold imported `fn.mjs`, and an ES module is imported once per
 * path; the unfolded code keeps that one.
 */
const foldedGlueName = `${glueBaseName}.folded.mjs`;

/** `<component digest>-jco<version>-abi<version>`: the digest, and whether the rest is this host's. */
const artifactDirName = /^([0-9a-f]{64})-/;

export class ArtifactStore {
  readonly #root: string;
  /** Staging directories being written now: not garbage, however they look. */
  readonly #staging = new Set<string>();

  constructor(root: string) {
    this.#root = root;
  }

  dirOf(componentHex: string): string {
    return join(this.#root, `${componentHex}-jco${glueGeneratorVersion}-abi${hostAbiVersion}`);
  }

  async get(componentHex: string): Promise<Artifacts | undefined> {
    const dir = this.dirOf(componentHex);
    try {
      const index = JSON.parse(await readFile(join(dir, indexFile), 'utf8')) as ArtifactIndex;
      return artifactsOf(dir, index);
    } catch {
      return undefined;
    }
  }

  /** The component's printed WIT if a deploy has cached it, else undefined (never throws: a cache miss only costs a toolchain run). */
  async wit(componentHex: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.dirOf(componentHex), witFile), 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * Caches the printed WIT beside the artifacts (write-then-rename: a reader sees all or nothing).
   * Returns false, writing nothing, if `ensure` has not created them: a directory made here would
   * make `ensure`'s rename of its staging directory fail.
   */
  async saveWit(componentHex: string, wit: string): Promise<boolean> {
    if (!(await this.get(componentHex))) return false;
    await writeFileAtomic(join(this.dirOf(componentHex), witFile), wit);
    return true;
  }

  /** Returns cached artifacts, or runs `transpile` and stores its files atomically (whole directory). */
  async ensure(componentHex: string, transpile: () => Promise<Record<string, Uint8Array>>): Promise<Artifacts> {
    const cached = await this.get(componentHex);
    if (cached) return cached;
    const files = await transpile();
    const dir = this.dirOf(componentHex);
    const staging = `${dir}.${randomBytes(6).toString('hex')}${temporarySuffix}`;
    this.#staging.add(staging);
    try {
      await mkdir(staging, { recursive: true });
      const coreModules: string[] = [];
      let glue = '';
      for (const [name, bytes] of Object.entries(files)) {
        if (name.includes('/') || name.includes('..')) continue; // jco writes flat files; ignore anything else
        if (name.endsWith('.wasm')) coreModules.push(name);
        // The glue is an ES module; .mjs makes Node load it as one regardless of any package.json.
        const target = name === `${glueBaseName}.js` ? `${glueBaseName}.mjs` : name;
        if (target.endsWith('.mjs')) glue = target;
        await writeFile(join(staging, target), bytes);
      }
      if (!glue) throw new Error('jco transpile produced no glue module');
      const index: ArtifactIndex = { glue, coreModules };
      await writeFile(join(staging, indexFile), JSON.stringify(index));
      try {
        await rename(staging, dir);
      } catch (err) {
        const raced = await this.get(componentHex); // another deploy of the same component won the race
        if (raced) return raced;
        throw err;
      }
      return artifactsOf(dir, index);
    } finally {
      // Gone after a rename; after a failure (a full disk, no glue) a half-written directory is nobody's.
      await rm(staging, { recursive: true, force: true });
      this.#staging.delete(staging);
    }
  }

  /** What a fold reads (compile/toolchain.ts `fold`): the glue, named `glueFile`, and the core modules. */
  async foldInput(artifacts: Artifacts): Promise<{ files: Record<string, Uint8Array>; glueFile: string }> {
    const glueFile = basename(artifacts.gluePath);
    const files: Record<string, Uint8Array> = { [glueFile]: new Uint8Array(await readFile(artifacts.gluePath)) };
    for (const name of artifacts.coreModules) files[name] = new Uint8Array(await readFile(join(artifacts.dir, name)));
    return { files, glueFile };
  }

  /**
   * Adds a fold to the component's artifacts: the folded module and the glue carrying its plan, or
   * the reason it was refused. The index is written last, so a reader sees the fold whole or not at
   * all. Returns the artifacts as they now are, or undefined, writing nothing, when the directory is
   * gone (no kept version needed the component any more: deleted while it was folding). The host
   * calls it between deploys and collections, so a collection never removes the directory under it.
   */
  async saveFold(componentHex: string, fold: FoldResult): Promise<Artifacts | undefined> {
    const current = await this.get(componentHex);
    if (!current) return undefined;
    if (current.folded || current.foldRefused) return current;
    const dir = this.dirOf(componentHex);
    const index = JSON.parse(await readFile(join(dir, indexFile), 'utf8')) as ArtifactIndex;
    let next: ArtifactIndex;
    if (fold.kind === 'refused') {
      await writeFileAtomic(join(dir, foldRefusedFile), `${fold.reason}\n`);
      next = { ...index, foldRefused: true };
    } else {
      await writeFileAtomic(join(dir, foldedModuleName), fold.bytes);
      await writeFileAtomic(join(dir, foldedGlueName), glueWithFoldPlan(new Uint8Array(await readFile(join(dir, index.glue))), fold.plan));
      next = { ...index, glue: foldedGlueName, folded: foldedModuleName };
    }
    await writeFileAtomic(join(dir, indexFile), JSON.stringify(next));
    return artifactsOf(dir, next);
  }

  /** The directory of `componentHex` for this host's generator and ABI, if there is one. */
  async entriesOf(componentHex: string): Promise<StoredEntry[]> {
    const dir = this.dirOf(componentHex);
    return (await access(dir).then(() => true, () => false)) ? [{ kind: 'artifacts', path: dir, digest: componentHex }] : [];
  }

  /**
   * Every component's directory (`outdated` when made for another generator or ABI: this host never
   * reads it) and every staging directory no write is using any more; other names are left alone.
   */
  async inventory(): Promise<StoredEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.#root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries: StoredEntry[] = [];
    for (const name of names) {
      const path = join(this.#root, name);
      if (name.endsWith(temporarySuffix)) {
        if (!this.#staging.has(path)) entries.push({ kind: 'temporary', path });
        continue;
      }
      const digest = artifactDirName.exec(name)?.[1];
      if (digest !== undefined) entries.push({ kind: 'artifacts', path, digest, outdated: name !== basename(this.dirOf(digest)) });
    }
    return entries;
  }
}

function artifactsOf(dir: string, index: ArtifactIndex): Artifacts {
  return {
    dir,
    gluePath: join(dir, index.glue),
    coreModules: index.coreModules,
    ...(index.folded ? { folded: index.folded } : {}),
    ...(index.foldRefused ? { foldRefused: true as const } : {}),
  };
}
