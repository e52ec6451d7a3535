// A path router for the console's few pages: /console, /console/functions/<name>, /console/queues,
// /console/invocations, /console/host. The server answers every /console/* path with the same page.
import { useEffect, useState } from 'preact/hooks';

export const base = '/console';

export type Route =
  | { readonly page: 'functions' }
  | { readonly page: 'function'; readonly name: string }
  | { readonly page: 'queues' }
  | { readonly page: 'invocations' }
  | { readonly page: 'host' };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : '';
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'functions' && parts[1] !== undefined) return { page: 'function', name: parts[1] };
  if (parts[0] === 'queues') return { page: 'queues' };
  if (parts[0] === 'invocations') return { page: 'invocations' };
  if (parts[0] === 'host') return { page: 'host' };
  return { page: 'functions' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'functions':
      return base;
    case 'function':
      return `${base}/functions/${encodeURIComponent(route.name)}`;
    default:
      return `${base}/${route.page}`;
  }
}

const listeners = new Set<() => void>();

export function navigate(href: string): void {
  if (href === location.pathname) return;
  history.pushState(null, '', href);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

/** The current route, re-rendered on navigate() and on the browser's back/forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A plain link that navigates in place (a modified click still opens a new tab, without the token: it asks again). */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!anchor) return;
  event.preventDefault();
  navigate(anchor.pathname);
}
