import { useEffect, useState, type FormEvent } from 'react';
import type { CurrentUser, MfaChallenge } from '@wardwatch/shared';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { Notice } from '../common/notice';
import { formText } from '../common/form-text';
import { CodeStepForm } from './code-step-form';

interface SignInProps {
  api: ApiClient;
  onSignedIn: (user: CurrentUser) => void;
  /** Why we are here, e.g. "You have signed out." */
  notice?: string;
  /** A problem found before sign-in, e.g. the manager could not be reached. */
  problem?: string;
}

/** A refused single sign-on comes back as ?sso_error=reason (the reason is also in the audit trail). */
function ssoProblem(): string | undefined {
  const reason = new URLSearchParams(window.location.search).get('sso_error');
  return reason ? `Single sign-on did not sign you in (${reason.slice(0, 200)}).` : undefined;
}

export function SignInPage({ api, onSignedIn, notice, problem }: SignInProps) {
  const [error, setError] = useState<string | undefined>(() => problem ?? ssoProblem());
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<MfaChallenge | undefined>();
  const [ssoEnabled, setSsoEnabled] = useState(false);

  useEffect(() => {
    // Without an answer the page stays as it was: password sign-in only.
    api
      .ssoStatus()
      .then((status) => setSsoEnabled(status.enabled))
      .catch(() => setSsoEnabled(false));
  }, [api]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = formText(form, 'username').trim();
    const password = formText(form, 'password');
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(undefined);
    api
      .login({ username, password })
      .then((answer) => ('pendingToken' in answer ? setChallenge(answer) : onSignedIn(answer)))
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  if (challenge) {
    return (
      <CodeStepForm
        api={api}
        pendingToken={challenge.pendingToken}
        methods={challenge.methods ?? ['totp']}
        onSignedIn={onSignedIn}
        onRestart={() => setChallenge(undefined)}
      />
    );
  }

  return (
    <main className="sign-in">
      <form className="card sign-in-form" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">WardWatch</h1>
        <p className="muted">Sign in to the manager.</p>
        <Notice message={error ? undefined : notice} />
        <ErrorBanner message={error} />
        <label htmlFor="login-username">Username</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          autoFocus
          required
          maxLength={128}
          data-testid="login-username"
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          data-testid="login-password"
        />
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {ssoEnabled ? (
          // A navigation, not an API call: the manager redirects to the organisation's OpenID provider.
          <a className="sso-sign-in" href="/api/v1/auth/oidc/start" data-testid="login-sso">
            Sign in with SSO
          </a>
        ) : null}
      </form>
    </main>
  );
}
