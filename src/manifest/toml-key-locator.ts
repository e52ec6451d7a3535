// Finds the line of a key path in TOML source, so manifest errors can point at it. smol-toml
// reports lines only for syntax errors; this skims a document it has already accepted.
//
// It understands [table] and [[array]] headers (counted by index), dotted keys, quoted keys,
// inline tables and arrays, including ones spanning several lines, and all four string forms.
// It is forgiving: on anything it does not follow it still advances, and a path it did not
// see falls back to its nearest ancestor, or to no line at all.

export type KeyPath = readonly (string | number)[];

/**
 * @example
 * new TomlKeyLocator('name = "x"\n[limits]\ntimeout_ms = 5\n').lineOf(['limits', 'timeout_ms']); // 3
 */
export class TomlKeyLocator {
  readonly #lines = new Map<string, number>();

  constructor(source: string) {
    new Skim(source, this.#lines).document();
  }

  /** The 1-based line where `path` (or its nearest located ancestor) is defined. */
  lineOf(path: KeyPath): number | undefined {
    for (let length = path.length; length > 0; length--) {
      const line = this.#lines.get(pathKey(path.slice(0, length)));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

const pathKey = (path: KeyPath): string => JSON.stringify(path);

const bareKeyChar = /[A-Za-z0-9_-]/;
const basicEscapes: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };

class Skim {
  readonly #src: string;
  readonly #lines: Map<string, number>;
  readonly #lineStarts: number[] = [0];
  /** How many [[x]] headers have been seen per resolved path: the index of the current element is count - 1. */
  readonly #arrayCounts = new Map<string, number>();
  #pos = 0;

  constructor(src: string, lines: Map<string, number>) {
    this.#src = src;
    this.#lines = lines;
    for (let i = 0; i < src.length; i++) if (src[i] === '\n') this.#lineStarts.push(i + 1);
  }

  document(): void {
    let table: KeyPath = [];
    for (;;) {
      this.#skipBlank(true);
      if (this.#pos >= this.#src.length) return;
      const start = this.#pos;
      if (this.#src[this.#pos] === '[') table = this.#header();
      else this.#keyValue(table);
      this.#skipToLineEnd();
      if (this.#pos === start) this.#pos++; // never loop on input this skim does not understand
    }
  }

  #header(): KeyPath {
    const line = this.#lineAt(this.#pos);
    const isArray = this.#src.startsWith('[[', this.#pos);
    this.#pos += isArray ? 2 : 1;
    const keys = this.#key();
    const resolved = this.#resolve(keys, isArray);
    if (!isArray) {
      this.#record(resolved, line);
      return resolved;
    }
    const count = (this.#arrayCounts.get(pathKey(resolved)) ?? 0) + 1;
    this.#arrayCounts.set(pathKey(resolved), count);
    this.#record(resolved, line);
    const element = [...resolved, count - 1];
    this.#record(element, line);
    return element;
  }

  /** Header keys name the current element of every array of tables they pass through. */
  #resolve(keys: readonly string[], isArrayHeader: boolean): (string | number)[] {
    const resolved: (string | number)[] = [];
    keys.forEach((key, i) => {
      resolved.push(key);
      if (isArrayHeader && i === keys.length - 1) return;
      const count = this.#arrayCounts.get(pathKey(resolved));
      if (count !== undefined) resolved.push(count - 1);
    });
    return resolved;
  }

  #keyValue(table: KeyPath): void {
    const line = this.#lineAt(this.#pos);
    const keys = this.#key();
    if (keys.length === 0) return;
    const path = [...table, ...keys];
    for (let i = table.length + 1; i <= path.length; i++) this.#record(path.slice(0, i), line);
    this.#skipBlank(false);
    if (this.#src[this.#pos] !== '=') return;
    this.#pos++;
    this.#skipBlank(false);
    this.#value(path);
  }

  #value(path: KeyPath): void {
    const c = this.#src[this.#pos];
    if (c === '"' || c === "'") {
      this.#string();
    } else if (c === '[') {
      this.#pos++;
      for (let index = 0; ; index++) {
        this.#skipBlank(true);
        if (this.#pos >= this.#src.length) return;
        if (this.#src[this.#pos] === ']') break;
        const start = this.#pos;
        this.#record([...path, index], this.#lineAt(this.#pos));
        this.#value([...path, index]);
        this.#skipBlank(true);
        if (this.#src[this.#pos] === ',') this.#pos++;
        else if (this.#pos === start) this.#pos++;
      }
      this.#pos++;
    } else if (c === '{') {
      this.#pos++;
      for (;;) {
        this.#skipBlank(true); // TOML 1.1 lets inline tables span lines
        if (this.#pos >= this.#src.length) return;
        if (this.#src[this.#pos] === '}') break;
        const start = this.#pos;
        this.#keyValue(path);
        this.#skipBlank(true);
        if (this.#src[this.#pos] === ',') this.#pos++;
        else if (this.#pos === start) this.#pos++;
      }
      this.#pos++;
    } else {
      while (this.#pos < this.#src.length && !',]}#\n'.includes(this.#src[this.#pos]!)) this.#pos++;
    }
  }

  /** A dotted key: bare, "basic" or 'literal' parts separated by dots. */
  #key(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.#skipBlank(false);
      const c = this.#src[this.#pos];
      if (c === '"' || c === "'") keys.push(this.#string());
      else {
        const start = this.#pos;
        while (this.#pos < this.#src.length && bareKeyChar.test(this.#src[this.#pos]!)) this.#pos++;
        if (this.#pos === start) return keys;
        keys.push(this.#src.slice(start, this.#pos));
      }
      this.#skipBlank(false);
      if (this.#src[this.#pos] !== '.') return keys;
      this.#pos++;
    }
  }

  /** Reads any of the four string forms and returns its value (escapes decoded in basic strings). */
  #string(): string {
    const src = this.#src;
    const quote = src[this.#pos]!;
    const multiline = src.startsWith(quote.repeat(3), this.#pos);
    const delimiter = multiline ? quote.repeat(3) : quote;
    this.#pos += delimiter.length;
    let value = '';
    while (this.#pos < src.length) {
      if (src.startsWith(delimiter, this.#pos)) {
        this.#pos += delimiter.length;
        // A multi-line string may end in up to two quotes of its own, right before the delimiter.
        while (multiline && src[this.#pos] === quote) {
          value += quote;
          this.#pos++;
        }
        return value;
      }
      const c = src[this.#pos]!;
      if (c === '\n' && !multiline) return value;
      if (c === '\\' && quote === '"') {
        value += this.#escape();
        continue;
      }
      value += c;
      this.#pos++;
    }
    return value;
  }

  #escape(): string {
    const src = this.#src;
    const c = src[this.#pos + 1] ?? '';
    const hexLength = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const code = Number.parseInt(src.slice(this.#pos + 2, this.#pos + 2 + hexLength), 16);
      this.#pos += 2 + hexLength;
      return Number.isInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      // Line-ending backslash in a multi-line basic string: trims the following whitespace.
      this.#pos++;
      while (this.#pos < src.length && ' \t\r\n'.includes(src[this.#pos]!)) this.#pos++;
      return '';
    }
    this.#pos += 2;
    return basicEscapes[c] ?? c;
  }

  /** Skips spaces, tabs and comments; newlines too when `newlines`. */
  #skipBlank(newlines: boolean): void {
    const src = this.#src;
    while (this.#pos < src.length) {
      const c = src[this.#pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.#pos++;
      else if (c === '#') while (this.#pos < src.length && src[this.#pos] !== '\n') this.#pos++;
      else return;
    }
  }

  #skipToLineEnd(): void {
    while (this.#pos < this.#src.length && this.#src[this.#pos] !== '\n') {
      if (this.#src[this.#pos] === '"' || this.#src[this.#pos] === "'") this.#string();
      else this.#pos++;
    }
  }

  /** The first definition wins: TOML forbids redefinition, so a later one is a table a dotted key extended. */
  #record(path: KeyPath, line: number): void {
    const key = pathKey(path);
    if (!this.#lines.has(key)) this.#lines.set(key, line);
  }

  #lineAt(offset: number): number {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}
