/**
 * The route label of a request: the route template as Nest declares it (`GET /care-orders/:id`), never the raw URL,
 * so that the number of series stays bounded whatever ids and queries clients send.
 */
export function routeTemplate(controllerPath: unknown, handlerPath: unknown): string {
  const first = (p: unknown): string => (Array.isArray(p) ? String(p[0] ?? '') : String(p ?? ''));
  const parts = [first(controllerPath), first(handlerPath)].map((x) => x.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
