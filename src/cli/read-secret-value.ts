// The value of `wasmlet secret set NAME`: from stdin, never from an argument (arguments end up in
// shell history and `ps`). A terminal gets a prompt that does not echo; a pipe or file is read whole.
import { WasmletError } from '../errors/wasmlet-error.js';

/** What the reader needs of stdin: a stream, and raw mode when it is a terminal. */
export interface SecretInput extends AsyncIterable<Uint8Array | string> {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

const ctrlC = '\u0003';
const ctrlD = '\u0004';
const backspaces = new Set(['\u007f', '\b']);

/**
 * From a pipe or file, the bytes as they are, less one trailing newline (`echo "$KEY" | wasmlet
 * secret set NAME` must not store the newline echo adds). From a terminal, one line typed without echo.
 * @example const value = await readSecretValue('STRIPE_KEY', process.stdin, (text) => process.stderr.write(text));
 */
export async function readSecretValue(name: string, input: SecretInput, prompt: (text: string) => void): Promise<Uint8Array> {
  if (input.isTTY && input.setRawMode) return new TextEncoder().encode(await readHiddenLine(name, input, prompt));
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  const bytes = Buffer.concat(chunks);
  const end = bytes.at(-1) === 0x0a ? (bytes.at(-2) === 0x0d ? bytes.length - 2 : bytes.length - 1) : bytes.length;
  if (end === 0) throw new WasmletError('bad_request', `no value on stdin for ${name}: pipe it in, e.g. printf %s "$VALUE" | wasmlet secret set ${name}`);
  return new Uint8Array(bytes.subarray(0, end));
}

async function readHiddenLine(name: string, input: SecretInput, prompt: (text: string) => void): Promise<string> {
  prompt(`value of ${name} (not shown): `);
  input.setRawMode!(true);
  let value = '';
  try {
    for await (const chunk of input) {
      for (const char of typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)) {
        if (char === ctrlC) throw new WasmletError('bad_request', 'cancelled');
        if (char === '\r' || char === '\n' || char === ctrlD) return finish(name, value);
        if (backspaces.has(char)) value = [...value].slice(0, -1).join('');
        else value += char;
      }
    }
    return finish(name, value);
  } finally {
    input.setRawMode!(false);
    prompt('\n');
  }
}

function finish(name: string, value: string): string {
  if (value === '') throw new WasmletError('bad_request', `no value typed for ${name}`);
  return value;
}
