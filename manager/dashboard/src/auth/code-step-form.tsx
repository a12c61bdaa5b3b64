// The second step of sign-in for an account with a second factor: the password was
// right, the manager answered with a short-lived pending token, and a code from the
// authenticator app (or one recovery code), or a security key's signature, now opens the session.
// Only the account's own methods are offered: without an app there is no code field, only the
// key and, folded away, a recovery code (a key's first registration issued them).
import { MfaCode, RecoveryCode, type CurrentUser, type MfaChallenge } from '@wardwatch/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formText } from '../common/form-text';
import { getAssertion } from '../security-keys/browser-credentials';

interface CodeStepProps {
  api: ApiClient;
  pendingToken: string;
  /** The account's second factors, as the password step named them. */
  methods: NonNullable<MfaChallenge['methods']>;
  onSignedIn: (user: CurrentUser) => void;
  /** Back to the password form (the pending token expired, or another account). */
  onRestart: () => void;
}

export function CodeStepForm({ api, pendingToken, methods, onSignedIn, onRestart }: CodeStepProps) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const hasApp = methods.includes('totp');
  const hasKey = methods.includes('security_key');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = formText(new FormData(event.currentTarget), 'code');
    const parsed = hasApp ? MfaCode.safeParse(code) : RecoveryCode.safeParse(code);
    if (!parsed.success) {
      setError(
        hasApp
          ? 'Enter the 6 digits your authenticator app shows, or one recovery code.'
          : 'Enter one of your recovery codes, e.g. abcde-fgh23.',
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    api
      .mfaVerify(pendingToken, parsed.data)
      .then(onSignedIn)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  const useSecurityKey = () => {
    setBusy(true);
    setError(undefined);
    api
      .securityKeySignInOptions(pendingToken)
      .then(getAssertion)
      .then((credential) => api.securityKeySignIn(pendingToken, credential))
      .then(onSignedIn)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-form" onSubmit={submit} aria-labelledby="code-title" noValidate>
        <h1 id="code-title">{hasApp ? 'Enter your code' : 'Use your security key'}</h1>
        <ErrorBanner message={error} />
        {hasKey ? (
          <button
            type="button"
            className={hasApp ? undefined : 'primary'}
            disabled={busy}
            onClick={useSecurityKey}
            data-testid="mfa-security-key"
          >
            Sign in with a security key
          </button>
        ) : null}
        {hasApp ? (
          <>
            <p className="muted">Open your authenticator app and enter the code it shows for WardWatch.</p>
            <label htmlFor="mfa-code">Code</label>
            <input
              id="mfa-code"
              name="code"
              autoComplete="one-time-code"
              inputMode="text"
              autoFocus
              required
              maxLength={16}
              data-testid="mfa-code"
            />
            <p className="muted">Lost your phone? Enter one of your recovery codes instead; each works once.</p>
            <button type="submit" className="primary" disabled={busy} data-testid="mfa-submit">
              {busy ? 'Checking…' : 'Sign in'}
            </button>
          </>
        ) : (
          <details data-testid="mfa-recovery">
            <summary>Lost your security key? Use a recovery code</summary>
            <label htmlFor="mfa-recovery-code">Recovery code</label>
            <input
              id="mfa-recovery-code"
              name="code"
              autoComplete="off"
              maxLength={16}
              data-testid="mfa-recovery-code"
            />
            <button type="submit" disabled={busy} data-testid="mfa-submit">
              {busy ? 'Checking…' : 'Sign in'}
            </button>
          </details>
        )}
        <button type="button" onClick={onRestart} data-testid="mfa-restart">
          Start again
        </button>
      </form>
    </main>
  );
}
