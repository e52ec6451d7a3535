// HTTP/1.1 over a bare TCP socket: requests go out exactly as written (no client normalises a path
// or frames a body), and what the server sends back is read as it arrives, with how it ended.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Names in lower case; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawEnd {
  /** Everything the server sent. */
  readonly bytes: Buffer;
  /** `closed`: the server ended or reset the connection; `open`: it was still open when the guard ran out. */
  readonly ending: 'closed' | 'open';
}

export interface RawConnection {
  readonly socket: Socket;
  write(data: string | Uint8Array): void;
  /** The first complete response, as soon as it is in (the connection may stay open). */
  response(guardMs?: number): Promise<RawResponse>;
  /** Waits for the server to close the connection, at most `guardMs`: only a hang reaches the guard. */
  end(guardMs?: number): Promise<RawEnd>;
  destroy(): void;
}

/** Generous: a server that is not hanging answers well within it on a busy 2-core machine. */
export const hangGuardMs = 20_000;

export async function connectRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const chunks: Buffer[] = [];
  let closed = false;
  const changed = new Set<() => void>();
  const notify = () => {
    for (const listener of changed) listener();
  };
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    notify();
  });
  socket.on('error', () => undefined); // a reset is an ending like any other
  socket.on('close', () => {
    closed = true;
    notify();
  });
  /** `ready` returns the value once there is one, or an Error once there never will be. */
  const waitFor = <T>(ready: () => T | Error | undefined, guardMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined) return;
        finish();
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${guardMs} ms (received ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))})`));
      }, guardMs);
      const finish = () => {
        clearTimeout(timer);
        changed.delete(check);
      };
      changed.add(check);
      check();
    });
  return {
    socket,
    write: (data) => void socket.write(data),
    response: (guardMs = hangGuardMs) =>
      waitFor(() => parseResponses(Buffer.concat(chunks))[0] ?? (closed ? new Error(`the connection closed before a whole response: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`) : undefined), guardMs, 'response'),
    end: (guardMs = hangGuardMs) =>
      waitFor(() => (closed ? ({ bytes: Buffer.concat(chunks), ending: 'closed' } as const) : undefined), guardMs, 'close').catch(() => ({ bytes: Buffer.concat(chunks), ending: 'open' as const })),
    destroy: () => socket.destroy(),
  };
}

/** One request on its own connection (`Connection: close`): its response, read whole. */
export async function rawRequest(url: string, requestLine: string, headers: readonly string[] = []): Promise<RawResponse> {
  const connection = await connectRaw(url);
  try {
    connection.write(`${requestLine}\r\nHost: ${new URL(url).host}\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n`);
    return await connection.response();
  } finally {
    connection.destroy();
  }
}

/** The complete responses in `bytes`, in order (a response still arriving is left out). */
export function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    if (headEnd === -1) return responses;
    const [statusLine, ...lines] = bytes.toString('latin1', at, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const status = Number(statusLine!.split(' ')[1]);
    let bodyStart = headEnd + 4;
    let body: Buffer;
    if (headers['transfer-encoding'] === 'chunked') {
      const pieces: Buffer[] = [];
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', bodyStart);
        if (lineEnd === -1) return responses;
        const size = Number.parseInt(bytes.toString('latin1', bodyStart, lineEnd), 16);
        if (bytes.length < lineEnd + 2 + size + 2) return responses;
        pieces.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
        bodyStart = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(pieces);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (bytes.length < bodyStart + length) return responses;
      body = bytes.subarray(bodyStart, bodyStart + length);
      bodyStart += length;
    }
    responses.push({ status, headers, body: body.toString('utf8') });
    at = bodyStart;
  }
}
