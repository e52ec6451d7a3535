// One client connection of the function port, as the HTTP trigger follows it: the body sizes its
// client declares (request-framing.ts), the request whose body is being read, and the response in
// flight (a client error must not write a second one into it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RequestFraming } from './request-framing.js';

interface BodyWatch {
  readonly req: IncomingMessage;
  readonly maxBytes: number;
  readonly onOver: (declaredBytes: number) => void;
}

export class HttpConnection {
  readonly #framing = new RequestFraming();
  #watch: BodyWatch | undefined;
  /** The response of the latest request on this connection. */
  response: ServerResponse | undefined;

  /**
   * Reads what the client sends after Node's parser has (a `data` listener: Node then parses in JS
   * instead of natively, as for TLS), so the framing is exactly where the parser is after each read.
   */
  constructor(socket: Socket) {
    socket.on('data', (bytes: Buffer) => this.#onData(bytes));
  }

  /** True while a response has started and not finished: only closing the connection can tell the client now. */
  get responding(): boolean {
    return this.response !== undefined && this.response.headersSent && !this.response.writableFinished;
  }

  /**
   * While `req`'s chunked body is read: `onOver` as soon as its chunk sizes add up to more than
   * `maxBytes`, before the bytes arrive. Returns the function that stops watching.
   */
  watchBody(req: IncomingMessage, maxBytes: number, onOver: (declaredBytes: number) => void): () => void {
    const watch: BodyWatch = { req, maxBytes, onOver };
    this.#watch = watch;
    return () => {
      if (this.#watch === watch) this.#watch = undefined;
    };
  }

  #onData(bytes: Buffer): void {
    this.#framing.push(bytes);
    const watch = this.#watch;
    // The parser has read these bytes too: an incomplete request is the message the framing is in.
    if (!watch || watch.req.complete) return;
    const declared = this.#framing.declaredBodyBytes;
    if (declared > watch.maxBytes) {
      this.#watch = undefined;
      watch.onOver(declared);
    }
  }
}
