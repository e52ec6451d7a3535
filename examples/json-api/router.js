// Method + exact-path dispatch inside /api/*: the host routes the whole prefix here, so paths
// it does not know are this function's 404, and known paths with another method its 405.
import { apiError } from './api-error.js';

/**
 * @param {Record<string, Record<string, (request: object) => object>>} table path -> method -> handler
 * @example const route = createRouter({ '/api/health': { GET: health } }); route(request)
 */
export function createRouter(table) {
  const endpoints = Object.entries(table)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
    .join(', ');
  return function route(request) {
    const methods = Object.hasOwn(table, request.path) ? table[request.path] : undefined;
    if (!methods) {
      return apiError(404, 'not_found', `no endpoint at ${request.path}; there are ${endpoints}`);
    }
    // The host answers HEAD for GET routes; so does this table.
    const method = request.method === 'HEAD' && !Object.hasOwn(methods, 'HEAD') ? 'GET' : request.method;
    if (!Object.hasOwn(methods, method)) {
      const allow = Object.keys(methods).join(', ');
      return apiError(405, 'method_not_allowed', `${request.path} accepts ${allow}, not ${request.method}`, {
        headers: { allow },
      });
    }
    return methods[method](request);
  };
}
