// The admin API as the console calls it: same origin, and every request with the bearer token (the
// page itself is public; nothing behind it is). Errors arrive as the API's { error: { code, message } }.

/** An answer other than 2xx, with the API's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  json<T>(path: string, init?: RequestInit): Promise<T>;
  /** The raw response (for streams), after the same status check. */
  raw(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * @param onUnauthorized called when the host refuses the token (401): the console asks for it again.
 * @example const api = apiClient(token, signOut); const { functions } = await api.json<ListBody>('/v1/functions');
 */
export function apiClient(token: string, onUnauthorized: (message: string) => void): ApiClient {
  async function raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    const response = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (response.status === 401) onUnauthorized(error.message);
    throw error;
  }
  return {
    raw,
    async json<T>(path: string, init?: RequestInit): Promise<T> {
      return (await (await raw(path, init)).json()) as T;
    },
  };
}

/** Checks a token without keeping it: the functions list is the cheapest authenticated call. */
export async function tokenIsAccepted(token: string): Promise<true | string> {
  const response = await fetch('/v1/functions', { headers: { authorization: `Bearer ${token}` }, credentials: 'omit', cache: 'no-store' });
  if (response.ok) return true;
  return (await errorOf(response)).message;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(response.status, body.error?.code ?? 'unknown', body.error?.message ?? `HTTP ${response.status}`);
  } catch {
    return new ApiError(response.status, 'unknown', `HTTP ${response.status} ${response.statusText}`);
  }
}
