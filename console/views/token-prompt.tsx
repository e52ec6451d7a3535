// Asked once per tab: the admin token. Checked against the host before it is kept; a wrong one says so.
import { useState } from 'preact/hooks';
import { tokenIsAccepted } from '../api.js';

export function TokenPrompt(props: { readonly refusal: string | null; readonly onAccepted: (token: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(props.refusal);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const token = value.trim();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      const verdict = await tokenIsAccepted(token);
      if (verdict === true) props.onAccepted(token);
      else setError(`The host refused this token: ${verdict}`);
    } catch (err) {
      setError(`Could not reach the host: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="signin">
      <form class="signin-card" onSubmit={submit}>
        <div class="brand large">
          <span class="brand-mark" aria-hidden="true" />
          <span>wasmlet</span>
        </div>
        <h1>Sign in to this host</h1>
        <p class="muted">
          Paste the host's admin token. <code>wasmlet console</code> prints a link that signs you in; the token is also in{' '}
          <code>&lt;data-dir&gt;/admin-token</code>. It is kept for this tab only.
        </p>
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck={false} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} autofocus />
        {error && (
          <p class="error-note" role="alert">
            {error}
          </p>
        )}
        <button class="button primary wide" type="submit" disabled={busy || value.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
