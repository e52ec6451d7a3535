// The signed-in API client, shared by every page through a context.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.js';

export interface Session {
  readonly api: ApiClient;
  /** Forget the token (this tab) and ask again. */
  readonly signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}
