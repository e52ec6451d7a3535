// Data that refreshes itself: fetched at once, then every `intervalMs` while the page is open (a
// hidden tab skips its turns). A failure keeps the last good value and reports the error beside it.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** Fetch now (after an action changed what is shown). */
  readonly refresh: () => void;
}

export function usePoll<T>(load: () => Promise<T>, intervalMs: number, key: string): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const run = useCallback(async (mine: number) => {
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (err) {
      if (mine !== generation.current) return;
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  }, []);

  useEffect(() => {
    const mine = ++generation.current;
    setData(undefined);
    setError(undefined);
    void run(mine);
    const timer = setInterval(() => {
      if (!document.hidden) void run(mine);
    }, intervalMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [key, intervalMs, run]);

  return { data, error, refresh: () => void run(generation.current) };
}
