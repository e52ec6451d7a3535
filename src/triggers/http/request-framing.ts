// Follows the HTTP/1.1 request framing of one connection (RFC 9112 §6, §7.1) to learn how much body
// a client has declared before sending it: Node's parser keeps a chunk's size to itself, so a
// client that announces a chunk of FFFFFFFFFFFFFFFF bytes and then trickles (or sends nothing) would
// otherwise be waited on until the request timeout.
//
// It reads the bytes Node's parser has just read, and only reports sizes: it never decides what a
// request means. Anything it does not follow (a head larger than any Node accepts, CONNECT, a
// malformed line, which Node refuses anyway) makes it stop following the connection.

/** Larger than Node's header limit (16 KiB): a head this long is refused by the parser before it matters here. */
const maxHeadBytes = 64 * 1024;
/** A chunk-size line with extensions; Node refuses extensions over 16 KiB (HPE_CHUNK_EXTENSIONS_OVERFLOW). */
const maxChunkLineBytes = 20 * 1024;
const crlf = Buffer.from('\r\n');
const headEnd = Buffer.from('\r\n\r\n');

type State =
  | { readonly kind: 'head' }
  /** Body bytes to pass over: a Content-Length body, or a chunk's data and its CRLF. */
  | { readonly kind: 'skip'; remaining: number; readonly then: 'head' | 'chunk-size' }
  | { readonly kind: 'chunk-size' }
  | { readonly kind: 'trailers' }
  | { readonly kind: 'lost' };

export class RequestFraming {
  #state: State = { kind: 'head' };
  /** The unfinished line or head carried over from the previous read. */
  #pending: Buffer | undefined;
  /** Body bytes the message being received has declared so far (its Content-Length, or its chunk sizes: a lower bound). */
  #declared = 0;

  /** Body bytes the current message has declared so far; 0 between messages. */
  get declaredBodyBytes(): number {
    if (this.#state.kind === 'chunk-size' && this.#pending) return this.#declared + leadingHex(this.#pending);
    return this.#declared;
  }

  push(bytes: Buffer): void {
    const input = this.#pending ? Buffer.concat([this.#pending, bytes]) : bytes;
    this.#pending = undefined;
    let at = 0;
    while (at < input.length) {
      const state = this.#state;
      switch (state.kind) {
        case 'lost':
          return;
        case 'head': {
          // Empty lines before a request line are skipped (RFC 9112 §2.2).
          while (input[at] === 0x0d && input[at + 1] === 0x0a) at += 2;
          if (at >= input.length) return;
          const end = input.indexOf(headEnd, at);
          if (end === -1) return this.#keep(input, at, maxHeadBytes);
          this.#startMessage(input.toString('latin1', at, end));
          at = end + headEnd.length;
          break;
        }
        case 'skip': {
          const taken = Math.min(state.remaining, input.length - at);
          at += taken;
          state.remaining -= taken;
          if (state.remaining === 0) this.#state = state.then === 'head' ? this.#endMessage() : { kind: 'chunk-size' };
          break;
        }
        case 'chunk-size': {
          const end = input.indexOf(crlf, at);
          if (end === -1) return this.#keep(input, at, maxChunkLineBytes);
          const line = input.subarray(at, end);
          at = end + crlf.length;
          if (line.length === 0 || !isHexDigit(line[0]!)) return this.#lose();
          const size = leadingHex(line);
          this.#declared += size;
          this.#state = size === 0 ? { kind: 'trailers' } : { kind: 'skip', remaining: size + crlf.length, then: 'chunk-size' };
          break;
        }
        case 'trailers': {
          const end = input.indexOf(crlf, at);
          if (end === -1) return this.#keep(input, at, maxHeadBytes);
          if (end === at) this.#state = this.#endMessage();
          at = end + crlf.length;
          break;
        }
      }
    }
  }

  #startMessage(head: string): void {
    if (head.startsWith('CONNECT ')) return this.#lose(); // Node hands the socket over (or closes it)
    const framing = /\r\n(transfer-encoding|content-length)[ \t]*:[ \t]*([^\r]*)/gi;
    let chunked = false;
    let length = 0;
    for (let m = framing.exec(head); m; m = framing.exec(head)) {
      if (m[1]!.toLowerCase() === 'transfer-encoding') chunked = true; // Node refuses any other final coding in a request
      else length = Number(m[2]!.trim());
    }
    if (chunked) {
      this.#declared = 0;
      this.#state = { kind: 'chunk-size' };
    } else if (Number.isSafeInteger(length) && length > 0) {
      this.#declared = length;
      this.#state = { kind: 'skip', remaining: length, then: 'head' };
    } else {
      this.#state = this.#endMessage();
    }
  }

  #endMessage(): State {
    this.#declared = 0;
    return { kind: 'head' };
  }

  /** Carries an unfinished line over to the next read, or stops following a connection whose line never ends. */
  #keep(input: Buffer, from: number, limit: number): void {
    if (input.length - from > limit) return this.#lose();
    this.#pending = Buffer.from(input.subarray(from));
  }

  #lose(): void {
    this.#state = { kind: 'lost' };
    this.#pending = undefined;
    this.#declared = 0;
  }
}

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** The value of the hex digits a line starts with (a chunk size; past 2^53 only approximately, which is all a limit needs). */
function leadingHex(line: Buffer): number {
  let digits = 0;
  while (digits < line.length && isHexDigit(line[digits]!)) digits++;
  return digits === 0 ? 0 : Number.parseInt(line.toString('latin1', 0, digits), 16);
}
