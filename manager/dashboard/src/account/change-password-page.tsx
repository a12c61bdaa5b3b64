// Shown instead of every page while the user signed in with a one-time password:
// the manager refuses everything else until it is replaced.
import { ChangePasswordRequest, MIN_PASSWORD_LENGTH, type CurrentUser } from '@wardwatch/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formText } from '../common/form-text';

export function ChangePasswordPage({ api, onChanged }: { api: ApiClient; onChanged: (user: CurrentUser) => void }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = formText(form, 'newPassword');
    if (newPassword !== formText(form, 'repeat')) {
      setError('The two new passwords differ.');
      return;
    }
    const parsed = ChangePasswordRequest.safeParse({
      currentPassword: formText(form, 'currentPassword'),
      newPassword,
    });
    if (!parsed.success) {
      setError(parsed.error.issues.map((issue) => issue.message).join('; '));
      return;
    }
    setBusy(true);
    setError(undefined);
    api
      .changePassword(parsed.data)
      .then(onChanged)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-form" onSubmit={submit} aria-labelledby="password-title" noValidate>
        <h1 id="password-title">Choose your password</h1>
        <p className="muted">
          You signed in with a one-time password. Replace it to continue (at least {MIN_PASSWORD_LENGTH} characters).
        </p>
        <ErrorBanner message={error} />
        <label htmlFor="password-current">One-time password</label>
        <input
          id="password-current"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
          data-testid="password-current"
        />
        <label htmlFor="password-new">New password</label>
        <input
          id="password-new"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          maxLength={1024}
          data-testid="password-new"
        />
        <label htmlFor="password-repeat">New password again</label>
        <input
          id="password-repeat"
          name="repeat"
          type="password"
          autoComplete="new-password"
          required
          maxLength={1024}
          data-testid="password-repeat"
        />
        <button type="submit" className="primary" disabled={busy} data-testid="password-submit">
          {busy ? 'Saving…' : 'Save password'}
        </button>
      </form>
    </main>
  );
}
