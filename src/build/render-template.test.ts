import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate, unsafeRootReason } from './render-template.js';

const variables = { name: 'f-rust', wasmlet_root: '/opt/wasmlet' };

test('every placeholder is replaced, as often as it appears', () => {
  assert.equal(
    renderTemplate('name = "{{name}}"\nwasmlet = { path = "{{wasmlet_root}}/sdk/rust" }\nroute = "/{{name}}"\n', variables),
    'name = "f-rust"\nwasmlet = { path = "/opt/wasmlet/sdk/rust" }\nroute = "/f-rust"\n',
  );
});

test("code braces are not placeholders: Rust's {{}} and a JS template literal stay as written", () => {
  const code = 'format!("{{}}", x); `${name}`; {{ nested }}';
  assert.equal(renderTemplate(code, variables), code);
});

test('an unknown placeholder is a bug in the template, not silently left in', () => {
  assert.throws(() => renderTemplate('{{nmae}}', variables), /unknown template placeholder \{\{nmae\}\}/);
  assert.throws(() => renderTemplate('{{constructor}}', variables), /unknown template placeholder/);
});

test('a package root that cannot go into a TOML string or go.mod is named', () => {
  assert.equal(unsafeRootReason('/home/Ada Lovelace/wasmlet'), undefined);
  assert.match(unsafeRootReason('/tmp/"x"') ?? '', /quote/);
  assert.match(unsafeRootReason('C:\\wasmlet') ?? '', /backslash/);
  assert.match(unsafeRootReason('/tmp/a\nb') ?? '', /control/);
});
