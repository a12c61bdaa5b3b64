// The second step of sign-in for an account with a second factor: the password was
// right, the manager answered with a short-lived pending token, and a code from the
// authenticator app (or one recovery code) now opens the session.
import { MfaCode, type CurrentUser } from '@wardwatch/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formText } from '../common/form-text';

interface CodeStepProps {
  api: ApiClient;
  pendingToken: string;
  onSignedIn: (user: CurrentUser) => void;
  /** Back to the password form (the pending token expired, or another account). */
  onRestart: () => void;
}

export function CodeStepForm({ api, pendingToken, onSignedIn, onRestart }: CodeStepProps) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = MfaCode.safeParse(formText(new FormData(event.currentTarget), 'code'));
    if (!parsed.success) {
      setError('Enter the 6 digits your authenticator app shows, or one recovery code.');
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

  return (
    <main className="sign-in">
      <form className="card sign-in-form" onSubmit={submit} aria-labelledby="code-title" noValidate>
        <h1 id="code-title">Enter your code</h1>
        <p className="muted">Open your authenticator app and enter the code it shows for WardWatch.</p>
        <ErrorBanner message={error} />
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
        <button type="button" onClick={onRestart} data-testid="mfa-restart">
          Start again
        </button>
      </form>
    </main>
  );
}
