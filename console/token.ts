// Where the console keeps the admin token: this tab's sessionStorage only (gone when the tab closes).
// `wasmlet console` hands it over in the URL fragment (/console#token=…): fragments never reach the
// server nor its logs, and the fragment is removed from the address bar (and history) at once.

const storageKey = 'wasmlet.token';

/** The token from `#token=…` (then dropped from the address bar), else the one kept for this tab. */
export function takeInitialToken(): string | null {
  return takeFragmentToken() ?? sessionStorage.getItem(storageKey);
}

/** A `#token=…` in the address (on load, or pasted into an open console): kept, and removed from the address. */
export function takeFragmentToken(): string | null {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment === null) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  if (fromFragment === '') return null;
  keepToken(fromFragment);
  return fromFragment;
}

export function keepToken(token: string): void {
  sessionStorage.setItem(storageKey, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(storageKey);
}
