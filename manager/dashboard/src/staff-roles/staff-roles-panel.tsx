// Admins keep the clinical role of monitored staff by pseudonym token (playbooks match on
// it with `userRolesAnyOf`): set or replace one, remove one (with confirmation), page
// through the list. The form is checked with the manager's own schemas before it is sent.
import { ClinicalRole, clinicalRoles, UserToken, type StaffRolePage } from '@wardwatch/shared';
import { useCallback, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { useCursorPages, type CursorPages } from '../common/cursor-pages';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { Notice } from '../common/notice';
import { formText } from '../common/form-text';
import { Pager } from '../common/pager';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ChoiceField } from '../common/choice-field';
import { ColumnHeads, type Columns } from '../common/column-heads';

export const STAFF_ROLES_PAGE_SIZE = 50;

export const clinicalRoleNames: Record<ClinicalRole, string> = {
  nurse: 'Nurse',
  physician: 'Physician',
  pharmacist: 'Pharmacist',
  it_staff: 'IT staff',
  admin_staff: 'Administrative staff',
};

export function StaffRolesPanel({ api }: { api: ApiClient }) {
  const pages = useCursorPages();
  // One polling loop per page in view; a save bumps the key so that page loads again.
  const [version, setVersion] = useState(0);
  return (
    <section aria-labelledby="staff-roles-title" className="staff-roles">
      <h2 id="staff-roles-title">Staff roles</h2>
      <p className="muted">
        The clinical role behind a user token, for playbook conditions. A user without a role here matches no role.
      </p>
      <StaffRoleForm api={api} onSaved={() => setVersion((v) => v + 1)} />
      <StaffRoleRows key={`${pages.cursor ?? ''}#${version}`} api={api} pages={pages} />
    </section>
  );
}

function StaffRoleForm({ api, onSaved }: { api: ApiClient; onSaved: () => void }) {
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setNotice(undefined);
    const token = UserToken.safeParse(formText(form, 'userToken').trim());
    const role = ClinicalRole.safeParse(formText(form, 'role'));
    if (!token.success || !role.success) {
      setError(
        [token.success ? '' : `user token: ${token.error.issues[0].message}`, role.success ? '' : 'role: pick one']
          .filter(Boolean)
          .join('; '),
      );
      return;
    }
    const target = event.currentTarget;
    setBusy(true);
    setError(undefined);
    api
      .setStaffRole(token.data, role.data)
      .then((saved) => {
        setNotice(`${saved.userToken} is now ${clinicalRoleNames[saved.role]}.`);
        target.reset();
        onSaved();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <form className="filters" onSubmit={submit} noValidate aria-label="Set a staff role">
        <div className="field">
          <label htmlFor="staff-role-token">User token</label>
          <input
            id="staff-role-token"
            name="userToken"
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            className="mono"
            data-testid="staff-role-token"
          />
        </div>
        <ChoiceField
          id="staff-role-role"
          name="role"
          label="Role"
          values={clinicalRoles}
          labels={clinicalRoleNames}
          defaultValue="nurse"
          testId="staff-role-role"
        />
        <div className="field actions">
          <button type="submit" className="primary" disabled={busy} data-testid="staff-role-save">
            Set role
          </button>
        </div>
      </form>
      <Notice message={notice} testId="staff-role-notice" />
      <ErrorBanner message={error} />
    </>
  );
}

const STAFF_ROLE_COLUMNS: Columns = ['User token', 'Role', 'Set', { label: 'Actions', hidden: true }];

function StaffRoleRows({ api, pages }: { api: ApiClient; pages: CursorPages }) {
  const { cursor } = pages;
  const load = useCallback(() => api.staffRoles({ limit: STAFF_ROLES_PAGE_SIZE, cursor }), [api, cursor]);
  const roles = usePolling<StaffRolePage>(load, 30_000);
  const now = useNow();
  const [confirming, setConfirming] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const remove = (token: string) => {
    setConfirming(undefined);
    api
      .removeStaffRole(token)
      .then(() => roles.refresh())
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };

  const items = roles.data?.items ?? [];
  return (
    <>
      <ErrorBanner message={error ?? roles.error} />
      <div className="table-wrap">
        <table data-testid="staff-roles-table">
          <ColumnHeads columns={STAFF_ROLE_COLUMNS} />
          <tbody>
            {items.map((row) => (
              <tr key={row.userToken} data-testid="staff-role-row" data-user-token={row.userToken}>
                <td className="mono">{row.userToken}</td>
                <td data-testid="staff-role-name">{clinicalRoleNames[row.role]}</td>
                <td>
                  <TimeCell ms={row.updatedAt} now={now} /> <span className="muted">by {row.updatedBy}</span>
                </td>
                <td>
                  {confirming === row.userToken ? (
                    <button type="button" onClick={() => remove(row.userToken)} data-testid="staff-role-remove-confirm">
                      Confirm: remove the role of {row.userToken}
                    </button>
                  ) : (
                    <button type="button" onClick={() => setConfirming(row.userToken)} data-testid="staff-role-remove">
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
            <EmptyRow show={roles.data !== undefined && items.length === 0} columns={STAFF_ROLE_COLUMNS}>
              No staff roles on record.
            </EmptyRow>
          </tbody>
        </table>
      </div>
      <Pager pages={pages} nextCursor={roles.data?.nextCursor} label="Staff role pages" testId="staff-roles-pager" />
    </>
  );
}
