// JSON calls to a running manager's REST API with a session cookie, for tests of every kind:
// an in-process test manager or a manager process. Nothing here starts or imports a manager.

/** Where a manager answers HTTP. */
export interface HttpManager {
  readonly httpUrl: string;
}

/** The session cookie an answer sets, as a `cookie` header value ('' when it sets none). */
export function sessionCookie(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/**
 * JSON calls with a session cookie; `login` returns the cookie ('' when refused), `signIn`
 * returns it or throws with the manager's answer.
 */
export function jsonApi(manager: () => HttpManager) {
  const call = async (method: string, path: string, body: unknown, cookie: string) =>
    fetch(`${manager().httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const login = async (username: string, password: string) =>
    sessionCookie(await call('POST', '/api/v1/auth/login', { username, password }, ''));
  const signIn = async (username: string, password: string) => {
    const response = await call('POST', '/api/v1/auth/login', { username, password }, '');
    if (!response.ok) throw new Error(`sign-in as ${username} failed: ${response.status} ${await response.text()}`);
    return sessionCookie(response);
  };
  return { call, login, signIn };
}

/** Signs in and returns a GET that carries the session cookie. */
export async function signedInGet(
  manager: HttpManager,
  username: string,
  password: string,
): Promise<(path: string) => Promise<Response>> {
  const api = jsonApi(() => manager);
  const cookie = await api.signIn(username, password);
  return (path: string) => api.call('GET', path, undefined, cookie);
}
