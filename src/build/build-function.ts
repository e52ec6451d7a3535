// `wasmlet build`: a function folder -> its component (the language's recipe, or the manifest's
// [build] command) -> the deployable bundle zip, and a report of what the component asks the host for.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { packFunction } from '../bundle/pack-function.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { manifestFileName, type BuildLanguage, type Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';
import { BuildError } from './build-error.js';
import { detectionFailureMessage, detectLanguage } from './detect-language.js';
import { inspectComponent, type ComponentImport, type DeployProblem } from './inspect-component.js';
import { packageRoot } from './package-root.js';
import { displayScript, findRecipe } from './recipe.js';
import { runProcess, type ProcessResult, type RunOptions } from './run-process.js';

export interface BuildRequest {
  /** The function folder (with wasmlet.toml). */
  readonly dir: string;
  /** Where the bundle zip goes; default `<dir>/<name>.zip`. */
  readonly out?: string | undefined;
}

/** What a build reports while it runs; the CLI turns it into prefixed lines and progress. */
export interface BuildEvents {
  /** The manifest is read and the language known; nothing has run yet. */
  start(name: string, language: BuildLanguage): void;
  /** A step begins: "checking the rust toolchain (toolchains/rust/install.sh)". */
  step(text: string): void;
  /** One line of a step's output. */
  output(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface BuildDeps {
  readonly runProcess: (file: string, args: readonly string[], options: RunOptions) => Promise<ProcessResult>;
  /** Milliseconds from an arbitrary origin, for the build time. */
  readonly now: () => number;
}

const defaultDeps: BuildDeps = { runProcess, now: () => performance.now() };

export interface BuildSummary {
  readonly name: string;
  readonly dir: string;
  readonly language: BuildLanguage;
  /** Where the language came from: wasmlet.toml's [build], or the files that gave it away. */
  readonly languageFrom: { readonly kind: 'manifest' } | { readonly kind: 'detected'; readonly evidence: readonly string[] };
  /** What built the component: the recipe's build.sh (package-relative) or the [build] command. */
  readonly builder: { readonly kind: 'recipe'; readonly script: string } | { readonly kind: 'command'; readonly command: string };
  /** The build step alone (the toolchain check excluded). */
  readonly buildMs: number;
  readonly component: { readonly path: string; readonly bytes: number };
  readonly bundle: { readonly path: string; readonly bytes: number; readonly digest: string };
  readonly imports: readonly ComponentImport[];
  readonly exports: readonly string[];
  /** What deploy would refuse; empty when the bundle is deployable. */
  readonly problems: readonly DeployProblem[];
}

/**
 * Builds the function in `request.dir` and writes its bundle.
 * @example const summary = await buildFunction({ dir: 'examples/hello-rust' }, events); // summary.bundle.path
 * @throws WasmletError manifest_missing / manifest_invalid; BuildError language_unknown, recipe_missing,
 *   toolchain_missing, build_failed
 */
export async function buildFunction(request: BuildRequest, events: BuildEvents, deps: BuildDeps = defaultDeps): Promise<BuildSummary> {
  const dir = resolve(request.dir);
  const manifest = await readManifest(dir);
  const { language, languageFrom } = await resolveLanguage(dir, manifest);
  events.start(manifest.name, language);
  const componentPath = join(dir, manifest.component);
  const before = await stat(componentPath).catch(() => undefined);

  const target: BuildTarget = { dir, language, componentPath, events, deps };
  const command = manifest.build?.command;
  const { builder, buildMs, result } = command === undefined ? await runRecipe(target) : await runCommand(target, command);
  const what = builder.kind === 'recipe' ? builder.script : 'the [build] command';
  if (result.exitCode !== 0) {
    const ending = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with ${result.exitCode}`;
    const said = lastWords(result);
    throw new BuildError('build_failed', `${language} build of ${dir} failed: ${what} ${ending}${said ? `: ${said}` : ''}`, {
      language,
      exitCode: result.exitCode,
      signal: result.signal,
      output: result.tail,
    });
  }
  const after = await stat(componentPath).catch(() => undefined);
  // An unchanged file is a stale component from an earlier build, not this build's output.
  if (!after?.isFile() || (before !== undefined && after.mtimeMs === before.mtimeMs && after.size === before.size)) {
    throw new BuildError('build_failed', `${what} succeeded but did not write ${componentPath}, the component wasmlet.toml names`, { language, component: componentPath });
  }

  const bundlePath = resolve(request.out ?? join(dir, `${manifest.name}.zip`));
  const bundle = await packFunction(dir);
  await mkdir(dirname(bundlePath), { recursive: true });
  await writeFile(bundlePath, bundle);
  const report = await inspectComponent(new Uint8Array(await readFile(componentPath)), manifest.component);
  return {
    name: manifest.name,
    dir,
    language,
    languageFrom,
    builder,
    buildMs,
    component: { path: componentPath, bytes: after.size },
    bundle: { path: bundlePath, bytes: bundle.byteLength, digest: `sha256:${createHash('sha256').update(bundle).digest('hex')}` },
    imports: report.imports,
    exports: report.exports,
    problems: report.problems,
  };
}

interface BuildTarget {
  readonly dir: string;
  readonly language: BuildLanguage;
  readonly componentPath: string;
  readonly events: BuildEvents;
  readonly deps: BuildDeps;
}

interface BuildStepResult {
  readonly builder: BuildSummary['builder'];
  readonly buildMs: number;
  readonly result: ProcessResult;
}

/** install.sh (a failure is toolchain_missing), then build.sh <dir> <component>. */
async function runRecipe({ dir, language, componentPath, events, deps }: BuildTarget): Promise<BuildStepResult> {
  const recipe = await findRecipe(language);
  const onLine = (line: string, stream: 'stdout' | 'stderr'): void => events.output(line, stream);
  const installScript = displayScript(recipe.installScript);
  events.step(`checking the ${language} toolchain (${installScript})`);
  const check = await deps.runProcess('bash', [recipe.installScript], { cwd: dir, onLine });
  if (check.exitCode !== 0) {
    throw new BuildError('toolchain_missing', `the ${language} toolchain is not ready: ${lastWords(check) ?? `${installScript} failed`}`, {
      language,
      script: installScript,
      exitCode: check.exitCode,
      output: check.tail,
    });
  }
  const builder = { kind: 'recipe', script: displayScript(recipe.buildScript) } as const;
  events.step(`building with ${builder.script}`);
  const started = deps.now();
  const result = await deps.runProcess('bash', [recipe.buildScript, dir, componentPath], { cwd: dir, onLine });
  return { builder, buildMs: Math.round(deps.now() - started), result };
}

/** The manifest's [build] command, run by sh in the function folder: trusted, as the user's own shell would be. */
async function runCommand({ dir, language, componentPath, events, deps }: BuildTarget, command: string): Promise<BuildStepResult> {
  events.step(`building with [build] command: ${command}`);
  // WASMLET_COMPONENT tells the command where the manifest expects the component.
  const env = { ...process.env, WASMLET_COMPONENT: componentPath, WASMLET_LANGUAGE: language, WASMLET_ROOT: packageRoot };
  const started = deps.now();
  const result = await deps.runProcess('sh', ['-c', command], { cwd: dir, env, onLine: (line, stream) => events.output(line, stream) });
  return { builder: { kind: 'command', command }, buildMs: Math.round(deps.now() - started), result };
}

async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, manifestFileName);
  const source = await readFile(path, 'utf8').catch((err: unknown) => {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new WasmletError('manifest_missing', missing ? `${dir} has no ${manifestFileName}; create one with \`wasmlet new\`` : `cannot read ${path}: ${(err as Error).message}`, { path }, { cause: err });
  });
  try {
    return parseManifest(source);
  } catch (err) {
    // parseManifest names the file "wasmlet.toml"; name the one on disk.
    if (err instanceof WasmletError && err.message.startsWith(`${manifestFileName}:`)) {
      throw new WasmletError(err.code, `${path}${err.message.slice(manifestFileName.length)}`, err.details, { cause: err });
    }
    throw err;
  }
}

async function resolveLanguage(dir: string, manifest: Manifest): Promise<Pick<BuildSummary, 'language' | 'languageFrom'>> {
  if (manifest.build) return { language: manifest.build.language, languageFrom: { kind: 'manifest' } };
  const files = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  const detection = detectLanguage(files);
  if (detection.kind !== 'detected') throw new BuildError('language_unknown', detectionFailureMessage(dir, detection), { dir });
  return { language: detection.language, languageFrom: { kind: 'detected', evidence: detection.evidence } };
}

/** The last non-empty output line: usually the one that says what went wrong. */
function lastWords(result: ProcessResult): string | undefined {
  return result.tail.findLast((line) => line.trim() !== '')?.trim();
}
