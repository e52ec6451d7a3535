import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BuildError } from './build-error.js';
import { packageRoot } from './package-root.js';
import { displayScript, findRecipe } from './recipe.js';

test('the recipes live in the package, wherever the command runs from', async () => {
  const recipe = await findRecipe('c');
  assert.equal(recipe.buildScript, join(packageRoot, 'toolchains', 'c', 'build.sh'));
  assert.equal(displayScript(recipe.installScript), 'toolchains/c/install.sh');
  assert.equal(displayScript('/elsewhere/build.sh'), '/elsewhere/build.sh');
});

test('a language without both scripts is recipe_missing, suggesting [build] command', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wasmlet-recipes-'));
  try {
    await mkdir(join(root, 'go'));
    await writeFile(join(root, 'go', 'install.sh'), '');
    await assert.rejects(findRecipe('go', root), (err: unknown) => {
      assert.ok(err instanceof BuildError && err.code === 'recipe_missing');
      assert.equal(err.message, `wasmlet has no go recipe: ${join(root, 'go', 'build.sh')} does not exist; set [build] command in wasmlet.toml to build it yourself`);
      return true;
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
