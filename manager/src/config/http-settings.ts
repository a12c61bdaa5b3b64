// The dashboard's HTTP(S) listener: the environment variables and the settings they become.
// HTTPS `auto` serves TLS whenever the host is not a loopback address.
import { z } from 'zod';
import { optionalText, port, resolvePath } from './env-fields';

export const HttpEnvSchema = z.object({
  WARDWATCH_HTTP_HOST: optionalText.default('127.0.0.1'),
  WARDWATCH_HTTP_PORT: port.default(8080),
  WARDWATCH_HTTP_TLS: z.enum(['auto', 'on', 'off']).default('auto'),
  WARDWATCH_HTTP_TLS_CERT_FILE: optionalText,
  WARDWATCH_HTTP_TLS_KEY_FILE: optionalText,
  // Origins besides the manager's own that may send state-changing requests (a reverse proxy's name).
  WARDWATCH_HTTP_ALLOWED_ORIGINS: optionalText,
});
export type HttpEnv = z.infer<typeof HttpEnvSchema>;

/**
 * How the dashboard and REST API are served: plain HTTP (loopback by default), or TLS with
 * the manager's own server certificate (issued by its CA, pki/) or a provided one.
 */
export type HttpTlsConfig = { kind: 'off' } | { kind: 'own-ca' } | { kind: 'files'; certFile: string; keyFile: string };

export interface HttpConfig {
  host: string;
  port: number;
  tls: HttpTlsConfig;
  /** Origins besides the served one that may send writes (same-origin/request-origin.policy.ts). */
  allowedOrigins: string[];
}

/** An origin as browsers send it: scheme, host, optional port; nothing after. */
const ORIGIN = /^https?:\/\/[a-z0-9.\-[\]:]+$/;

/** The listener's settings, or the problems found. */
export function parseHttp(e: HttpEnv, cwd: string): HttpConfig | string[] {
  const certFile = e.WARDWATCH_HTTP_TLS_CERT_FILE;
  const keyFile = e.WARDWATCH_HTTP_TLS_KEY_FILE;
  if ((certFile === undefined) !== (keyFile === undefined))
    return ['WARDWATCH_HTTP_TLS_CERT_FILE and WARDWATCH_HTTP_TLS_KEY_FILE go together: set both or neither'];
  const allowedOrigins = (e.WARDWATCH_HTTP_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().toLowerCase().replace(/\/$/, ''))
    .filter((origin) => origin !== '');
  const bad = allowedOrigins.filter((origin) => !ORIGIN.test(origin));
  if (bad.length > 0)
    return [`WARDWATCH_HTTP_ALLOWED_ORIGINS: not an origin (scheme://host[:port]): ${bad.join(', ')}`];
  const wantsTls =
    e.WARDWATCH_HTTP_TLS === 'on' ||
    (e.WARDWATCH_HTTP_TLS === 'auto' && (certFile !== undefined || !isLoopbackHost(e.WARDWATCH_HTTP_HOST)));
  const tls: HttpTlsConfig = !wantsTls
    ? { kind: 'off' }
    : certFile !== undefined && keyFile !== undefined
      ? { kind: 'files', certFile: resolvePath(certFile, cwd), keyFile: resolvePath(keyFile, cwd) }
      : { kind: 'own-ca' };
  return { host: e.WARDWATCH_HTTP_HOST, port: e.WARDWATCH_HTTP_PORT, tls, allowedOrigins };
}

/** Only this host can reach a loopback address; a wildcard (0.0.0.0, ::) or any other listens beyond it. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}
