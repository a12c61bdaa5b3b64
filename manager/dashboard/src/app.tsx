// The shell: who is signed in, which page shows, and the navigation bar. Without a
// session only the sign-in page renders, whatever the hash says.
import type { CurrentUser } from '@wardwatch/shared';
import { useEffect, useMemo, useState } from 'react';
import { createApiClient, errorMessage, type ApiClient } from './api/api-client';
import { AccountPage, MfaRequiredPage } from './account/account-page';
import { ChangePasswordPage } from './account/change-password-page';
import { AlertsPage } from './alerts/alerts-page';
import { AuditPage } from './audit/audit-page';
import { ApprovalsPage } from './approvals/approvals-page';
import { SignInPage } from './auth/sign-in-page';
import { ActionsPage } from './commands/actions-page';
import { EventsPage } from './events/events-page';
import { AgentPage } from './fleet/agent-page';
import { FleetPage } from './fleet/fleet-page';
import { IncidentsPage } from './incidents/incidents-page';
import { IntegrationsPage } from './integrations/integrations-page';
import { ReportsPage } from './reports/reports-page';
import { OverviewPage } from './overview/overview-page';
import {
  agentIdFromHash,
  alertIdFromHash,
  hashFor,
  incidentIdFromHash,
  pageFromHash,
  pagesFor,
  pageTitles,
  type Page,
} from './navigation/route';
import { PlaybooksPage } from './playbooks/playbooks-page';
import { PoliciesPage } from './policies/policies-page';
import { ReidentifyPage } from './privacy/reidentify-page';
import { UsersPage } from './users/users-page';

const ACCOUNT_HASH = '#/account';

type Session =
  | { state: 'checking' }
  | { state: 'signed-out'; notice?: string; error?: string }
  | { state: 'signed-in'; user: CurrentUser };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [hash, setHash] = useState(() => window.location.hash);
  const page: Page = pageFromHash(hash);

  const api = useMemo(
    () =>
      createApiClient({
        onUnauthorized: () =>
          setSession((current) =>
            current.state === 'signed-in'
              ? { state: 'signed-out', notice: 'Your session has ended. Please sign in again.' }
              : { state: 'signed-out' },
          ),
      }),
    [],
  );

  useEffect(() => {
    const onHash = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    api
      .me()
      .then((user) => setSession({ state: 'signed-in', user }))
      .catch((caught: unknown) => setSession({ state: 'signed-out', error: notUnauthorized(caught) }));
  }, [api]);

  if (session.state === 'checking') return <p className="loading">Loading…</p>;
  if (session.state === 'signed-out') {
    return (
      <SignInPage
        api={api}
        notice={session.notice}
        problem={session.error}
        onSignedIn={(user) => {
          setSession({ state: 'signed-in', user });
          window.location.hash = hashFor('overview');
          setHash(hashFor('overview'));
        }}
      />
    );
  }

  if (session.user.mustChangePassword) {
    return <ChangePasswordPage api={api} onChanged={(user) => setSession({ state: 'signed-in', user })} />;
  }

  const signOut = () => {
    api
      .logout()
      .catch(() => undefined)
      .finally(() => setSession({ state: 'signed-out', notice: 'You have signed out.' }));
  };
  // After the second factor was turned on or off: the manager says whether the gate still holds.
  const refreshUser = () => {
    api
      .me()
      .then((user) => setSession({ state: 'signed-in', user }))
      .catch(() => undefined);
  };

  if (session.user.mfaEnrollmentRequired) {
    return <MfaRequiredPage api={api} onChanged={refreshUser} onSignOut={signOut} />;
  }

  // A page the role may not open falls back to the overview (the manager would refuse its calls anyway).
  const allowed = pagesFor(session.user.role);
  // The account page is everyone's and not in the navigation: the user's name links to it.
  const shown: Page | 'account' = hash === ACCOUNT_HASH ? 'account' : allowed.includes(page) ? page : 'overview';

  return (
    <>
      <header className="top">
        <span className="brand">WardWatch</span>
        <nav aria-label="Main">
          <ul>
            {allowed.map((name) => (
              <li key={name}>
                <a href={hashFor(name)} aria-current={shown === name ? 'page' : undefined} data-testid={`nav-${name}`}>
                  {pageTitles[name]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="user">
          <a href="#/account" className="muted" data-testid="nav-account">
            {session.user.username}
          </a>
          <button type="button" onClick={signOut} data-testid="sign-out">
            Sign out
          </button>
        </span>
      </header>
      <main className="content">
        {shown === 'account' ? <AccountPage api={api} user={session.user} onChanged={refreshUser} /> : null}
        {shown === 'overview' ? <OverviewPage api={api} /> : null}
        {shown === 'fleet' ? <FleetOrAgent api={api} user={session.user} agentId={agentIdFromHash(hash)} /> : null}
        {shown === 'events' ? <EventsPage api={api} /> : null}
        {shown === 'alerts' ? <AlertsPage api={api} user={session.user} alertId={alertIdFromHash(hash)} /> : null}
        {shown === 'incidents' ? <IncidentsPage api={api} incidentId={incidentIdFromHash(hash)} /> : null}
        {shown === 'reports' ? <ReportsPage api={api} /> : null}
        {shown === 'playbooks' ? <PlaybooksPage api={api} /> : null}
        {shown === 'policies' ? <PoliciesPage api={api} user={session.user} /> : null}

        {shown === 'approvals' ? <ApprovalsPage api={api} user={session.user} /> : null}

        {shown === 'actions' ? <ActionsPage api={api} user={session.user} /> : null}
        {shown === 'privacy' ? <ReidentifyPage api={api} self={session.user.username} /> : null}
        {shown === 'users' ? <UsersPage api={api} self={session.user.username} /> : null}
        {shown === 'audit' ? <AuditPage api={api} /> : null}
        {shown === 'integrations' ? <IntegrationsPage api={api} /> : null}
      </main>
    </>
  );
}

/** "#/fleet/<id>" is one workstation's page; "#/fleet" the whole fleet. */
function FleetOrAgent({ api, user, agentId }: { api: ApiClient; user: CurrentUser; agentId: string | undefined }) {
  return agentId ? (
    <AgentPage key={agentId} api={api} user={user} agentId={agentId} />
  ) : (
    <FleetPage api={api} user={user} />
  );
}

/** A 401 on start-up just means "not signed in"; anything else is worth saying. */
function notUnauthorized(error: unknown): string | undefined {
  if (error instanceof Error && 'kind' in error && error.kind === 'unauthorized') return undefined;
  return errorMessage(error);
}
