// Users of the dashboard for the end-to-end tests, made as an admin makes them: created over
// the REST API with a one-time password, which the user then replaces with a passphrase of
// their own (until then a signed-in user is shown only the change-password form).
import { CreatedUser, type UserRole } from '@wardwatch/shared';
import { jsonApi, type HttpManager } from '../../manager/src/testing/json-api.fixture';

/** The passphrase a test user chooses in place of the one-time password. */
export const passphraseOf = (username: string): string => `${username}-passphrase-2026`;

export interface DashboardUser {
  readonly username: string;
  readonly password: string;
  /** A session signed in with the user's own password. */
  readonly cookie: string;
}

/**
 * The manager's JSON API (`jsonApi`) and the two ways a test gets a user of the dashboard:
 * `createUser` stops at the one-time password (for tests of the change-password form),
 * `addUser` goes on to a password of the user's own. Every refusal on the way throws.
 */
export function dashboardApi(manager: () => HttpManager) {
  const api = jsonApi(manager);

  /** Creates the user as the admin signed in with `admin`; the one-time password the manager shows once. */
  const createUser = async (admin: string, username: string, role: UserRole): Promise<string> => {
    const response = await api.call('POST', '/api/v1/users', { username, role }, admin);
    if (!response.ok) throw new Error(`creating ${username} refused: ${response.status} ${await response.text()}`);
    return CreatedUser.parse(await response.json()).oneTimePassword;
  };

  /** Creates the user, replaces the one-time password with `password` and signs in with it. */
  const addUser = async (
    admin: string,
    username: string,
    role: UserRole,
    password = passphraseOf(username),
  ): Promise<DashboardUser> => {
    const oneTimePassword = await createUser(admin, username, role);
    const first = await api.signIn(username, oneTimePassword);
    const changed = await api.call(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: oneTimePassword, newPassword: password },
      first,
    );
    if (!changed.ok) throw new Error(`password change for ${username} refused: ${changed.status}`);
    return { username, password, cookie: await api.signIn(username, password) };
  };

  return { ...api, createUser, addUser };
}
