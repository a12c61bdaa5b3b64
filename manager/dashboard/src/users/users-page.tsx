// Admins manage accounts: create one with a role (the one-time password is shown
// here once, to hand over), see who has which role, change it, sign an account out
// everywhere or disable it (the last three end all its sessions at once). The
// manager audits each change; roles and what they may do come from the shared schema.
import {
  CreateUserRequest,
  rolePermissions,
  userRoles,
  type CreatedUser,
  type DutyRequestList,
  type UserList,
  type UserRole,
} from '@wardwatch/shared';
import { useCallback, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { Notice } from '../common/notice';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { formText } from '../common/form-text';
import { ChoiceField } from '../common/choice-field';
import { ColumnHeads } from '../common/column-heads';
import { RoleGrantsPanel } from './role-grants-panel';

const roleNames: Record<UserRole, string> = {
  admin: 'Admin',
  analyst: 'Analyst',
  privacy_officer: 'Privacy officer',
  it_staff: 'IT staff',
};

export function UsersPage({ api, self }: { api: ApiClient; self: string }) {
  const load = useCallback(() => api.users(), [api]);
  const users = usePolling<UserList>(load, 30_000);
  const loadGrants = useCallback(() => api.roleGrants('pending'), [api]);
  const grants = usePolling<DutyRequestList>(loadGrants, 10_000);
  const now = useNow();
  const [created, setCreated] = useState<CreatedUser | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();

  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    work()
      .then(() => {
        users.refresh();
        grants.refresh();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = CreateUserRequest.safeParse({
      username: formText(form, 'username'),
      role: formText(form, 'role'),
      // Read by the second admin and the auditors; optional, so an empty field sends none.
      reason: formText(form, 'reason').trim() || undefined,
    });
    setCreated(undefined);
    if (!parsed.success) {
      setError(parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'form')}: ${issue.message}`).join('; '));
      return;
    }
    const target = event.currentTarget;
    run(() =>
      api.createUser(parsed.data).then((answer) => {
        setCreated(answer);
        target.reset();
      }),
    );
  };

  const disable = (id: string) => {
    setConfirming(undefined);
    run(() => api.disableUser(id));
  };

  const changeRole = (id: string, username: string, role: UserRole) =>
    run(() =>
      api
        .changeUserRole(id, role)
        .then((answer) =>
          setNotice(
            'details' in answer
              ? `${username} becomes ${roleNames[role]} once another admin approves (see the grants below).`
              : `${username} is now ${roleNames[role]}; signed out everywhere.`,
          ),
        ),
    );

  const signOutEverywhere = (id: string, username: string) =>
    run(() =>
      api
        .signOutEverywhere(id)
        .then(({ sessionsEnded }) => setNotice(`${username}: ${sessionsEnded} session(s) ended.`)),
    );

  return (
    <section aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">Users</h1>
      </div>
      <form className="filters" onSubmit={create} noValidate aria-label="New user">
        <div className="field">
          <label htmlFor="user-name">Username</label>
          <input id="user-name" name="username" maxLength={64} autoComplete="off" data-testid="user-name" />
        </div>
        <ChoiceField
          id="user-role"
          name="role"
          label="Role"
          values={userRoles}
          labels={roleNames}
          defaultValue="analyst"
          testId="user-role"
        />
        <div className="field">
          <label htmlFor="user-reason">Why (admin, privacy officer)</label>
          <input id="user-reason" name="reason" maxLength={500} autoComplete="off" data-testid="user-reason" />
        </div>
        <div className="field actions">
          <button type="submit" className="primary" disabled={busy} data-testid="user-create">
            Create user
          </button>
        </div>
      </form>
      {created ? (
        <p className="notice" data-testid="user-created">
          Created <span className="strong">{created.user.username}</span> ({roleNames[created.user.role]}). One-time
          password, shown only now:{' '}
          <span className="mono strong" data-testid="one-time-password">
            {created.oneTimePassword}
          </span>{' '}
          — hand it over in person; it must be replaced at the first sign-in.
          {created.pendingGrantId ? (
            <span data-testid="user-created-pending">
              {' '}
              The account stays disabled until another admin approves its role (see the grants below).
            </span>
          ) : null}
        </p>
      ) : null}
      <Notice message={notice} testId="user-notice" />
      <ErrorBanner message={error ?? users.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={['Username', 'Role', 'May', 'Status', 'Created', { label: 'Actions', hidden: true }]} />
          <tbody>
            {(users.data?.items ?? []).map((user) => (
              <tr key={user.id} data-testid="user-row" data-username={user.username}>
                <td className="strong">{user.username}</td>
                <td>
                  {user.status === 'active' && user.username !== self ? (
                    <select
                      aria-label={`Role of ${user.username} (a change signs them out everywhere)`}
                      value={user.role}
                      disabled={busy}
                      onChange={(event) => changeRole(user.id, user.username, event.currentTarget.value as UserRole)}
                      data-testid="user-role-change"
                    >
                      {userRoles.map((role) => (
                        <option key={role} value={role}>
                          {roleNames[role]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    roleNames[user.role]
                  )}
                </td>
                <td className="muted">{rolePermissions[user.role].join(', ')}</td>
                <td>
                  {user.status}
                  {user.status === 'active' && user.mustChangePassword ? (
                    <span className="muted"> · one-time password not yet replaced</span>
                  ) : null}
                </td>
                <td>
                  <TimeCell ms={user.createdAt} now={now} />
                </td>
                <td>
                  {user.status === 'active' ? (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => signOutEverywhere(user.id, user.username)}
                      data-testid="user-sign-out-everywhere"
                    >
                      Sign out everywhere
                    </button>
                  ) : null}{' '}
                  {user.status === 'active' && user.username !== self ? (
                    confirming === user.id ? (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => disable(user.id)}
                        data-testid="user-disable-confirm"
                      >
                        Confirm: disable {user.username}
                      </button>
                    ) : (
                      <button type="button" onClick={() => setConfirming(user.id)} data-testid="user-disable">
                        Disable
                      </button>
                    )
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <RoleGrantsPanel
        api={api}
        self={self}
        roleNames={roleNames}
        grants={grants}
        onDecided={() => {
          users.refresh();
          grants.refresh();
        }}
      />
    </section>
  );
}
