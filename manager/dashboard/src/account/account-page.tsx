// "#/account": the signed-in user's own settings: the second factor and security keys.
import type { CurrentUser } from '@wardwatch/shared';
import { useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { SecurityKeysSection } from '../security-keys/security-keys-section';
import { MfaSection } from './mfa-section';

export function AccountPage({ api, user, onChanged }: { api: ApiClient; user: CurrentUser; onChanged: () => void }) {
  // A change of keys (or of the codes they renewed) changes what the second-factor section says.
  const [keysChanged, setKeysChanged] = useState(0);
  const keysChange = () => {
    setKeysChanged((count) => count + 1);
    onChanged();
  };
  return (
    <>
      <h1>Your account</h1>
      <p className="muted">
        Signed in as {user.username} ({user.role}).
      </p>
      <MfaSection key={keysChanged} api={api} onChanged={onChanged} />
      <SecurityKeysSection api={api} onChanged={keysChange} />
    </>
  );
}

/** Shown instead of every page while the role requires a second factor the user has not set up. */
export function MfaRequiredPage({
  api,
  onChanged,
  onSignOut,
}: {
  api: ApiClient;
  onChanged: () => void;
  onSignOut: () => void;
}) {
  return (
    <main className="sign-in">
      <div className="sign-in-form">
        <h1>Set up a second factor</h1>
        <p className="muted">
          Your role signs in with a password and a second factor: an authenticator app or a security key.
        </p>
        <MfaSection api={api} onChanged={onChanged} />
        <SecurityKeysSection api={api} onChanged={onChanged} />
        <button type="button" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </div>
    </main>
  );
}
