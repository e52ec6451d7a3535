// Method + path dispatch inside /api/*: the host routes the whole prefix here, so paths it does not
// know are this function's 404, and known paths with another method its 405. A path segment
// written `{name}` matches any one segment, handed to the handler as `params.name`; exact paths
// win over patterns (`/api/todos/summary` before `/api/todos/{id}`).
import { apiError } from './api-error.js';

/**
 * @param {Record<string, Record<string, (request: object, params: Record<string, string>) => object>>} table path -> method -> handler
 * @example const route = createRouter({ '/api/todos/{id}': { GET: (request, { id }) => ... } }); route(request)
 */
export function createRouter(table) {
  const endpoints = Object.entries(table)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
    .join(', ');
  const patterns = Object.keys(table)
    .filter((path) => path.includes('{'))
    .map((path) => ({ path, segments: path.split('/') }));
  return function route(request) {
    const found = match(request.path);
    if (!found) {
      return apiError(404, 'not_found', `no endpoint at ${request.path}; there are ${endpoints}`);
    }
    const methods = table[found.path];
    // The host answers HEAD for GET routes; so does this table.
    const method = request.method === 'HEAD' && !Object.hasOwn(methods, 'HEAD') ? 'GET' : request.method;
    if (!Object.hasOwn(methods, method)) {
      const allow = Object.keys(methods).join(', ');
      return apiError(405, 'method_not_allowed', `${request.path} accepts ${allow}, not ${request.method}`, {
        headers: { allow },
      });
    }
    return methods[method](request, found.params);
  };

  function match(path) {
    if (Object.hasOwn(table, path)) return { path, params: {} };
    const segments = path.split('/');
    for (const pattern of patterns) {
      if (pattern.segments.length !== segments.length) continue;
      const params = {};
      const fits = pattern.segments.every((part, i) => {
        const name = /^\{([a-z]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part === segments[i];
        if (segments[i] === '') return false;
        const value = decodeSegment(segments[i]);
        if (value === undefined) return false;
        params[name] = value;
        return true;
      });
      if (fits) return { path: pattern.path, params };
    }
    return undefined;
  }
}

/** A percent-encoded segment, or undefined when its escapes are not UTF-8 ("%E0"): no endpoint, not a trap. */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
