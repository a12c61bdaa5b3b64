// Serves the dashboard's built files from manager/dashboard/dist, with the SPA
// fallback (index.html) for page routes only. The API, the operations paths
// (metrics, health, readiness and their usual spellings) and missing files (a
// path with an extension) go on to Nest, which answers them or says 404 in JSON:
// a monitor must never mistake the dashboard's HTML for a healthy answer. When the
// dashboard has not been built, a short plain page says so.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** manager/src/dashboard-static (tests) and manager/dist/dashboard-static (build) are both two levels below the package. */
export const defaultDashboardDir = resolve(__dirname, '..', '..', 'dashboard', 'dist');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT =
  'The WardWatch dashboard is not built. Run `npm run build` in the repository, then reload this page.\nThe API is available under /api/v1 (documentation at /api/docs).\n';

/** First path segments the dashboard never claims, whatever follows them. */
const NOT_PAGES = new Set(['api', 'metrics', 'health', 'healthz', 'live', 'livez', 'ready', 'readyz', 'status']);

function isOperationsPath(path: string): boolean {
  const first = path.split('/')[1] ?? '';
  return NOT_PAGES.has(first.toLowerCase());
}

export function dashboardStatic(dir: string = defaultDashboardDir) {
  const root = resolve(dir);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const path = decodeSafe((req.url ?? '/').split('?')[0]);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path === undefined || isOperationsPath(path)) return next();
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(NOT_BUILT);
      return;
    }
    const file = resolve(root, `.${normalize(path)}`);
    const inside = file === root || file.startsWith(root + sep);
    const found = inside && isFile(file);
    // A missing file is a 404, not a page: only extension-less paths are the dashboard's routes.
    if (!found && extname(path) !== '') return next();
    const target = found ? file : index;
    const immutable = target !== index && target.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'Content-Type': types[extname(target)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(target).pipe(res);
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function decodeSafe(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
