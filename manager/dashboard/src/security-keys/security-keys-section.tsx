// The user's security keys on the account page (and on the page that holds a user to
// enrolling): the list with names and last use, adding one under a name, removing one
// with a signature of a key (the manager asks for a fresh second factor to remove), and new
// recovery codes signed with a key (a keys-only user has no app code to give). A first key
// comes with ten recovery codes: shown once, and the page moves on when they are saved.
import type { SecurityKeys } from '@wardwatch/shared';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formText } from '../common/form-text';
import { RecoveryCodesNotice } from '../common/recovery-codes-notice';
import { createCredential, getAssertion, securityKeysSupported } from './browser-credentials';

interface SecurityKeysSectionProps {
  api: ApiClient;
  /** A key was added or removed (the session's gate may have changed). */
  onChanged: () => void;
}

export function SecurityKeysSection({ api, onChanged }: SecurityKeysSectionProps) {
  const [keys, setKeys] = useState<SecurityKeys | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>();

  const load = useCallback(() => {
    api
      .securityKeys()
      .then(setKeys)
      .catch((caught: unknown) => setError(errorMessage(caught)));
  }, [api]);
  useEffect(load, [load]);

  const changed = () => {
    load();
    onChanged();
  };
  /** Runs a change; the gate is asked again after it, unless recovery codes wait to be saved first. */
  const run = (work: () => Promise<string[] | undefined>) => {
    setBusy(true);
    setError(undefined);
    work()
      .then((codes) => (codes ? setRecoveryCodes(codes) : changed()))
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = formText(new FormData(form), 'name').trim();
    if (!name) {
      setError('Give the key a name, e.g. "Blue key".');
      return;
    }
    run(async () => {
      const credential = await createCredential(await api.securityKeyRegistrationOptions());
      const added = await api.registerSecurityKey(name, credential);
      form.reset();
      return added.recoveryCodes;
    });
  };
  const remove = (id: string) =>
    run(async () => {
      await api.removeSecurityKey(id, await getAssertion(await api.securityKeyStepUpOptions()));
      return undefined;
    });
  const newRecoveryCodes = () =>
    run(async () => {
      const credential = await getAssertion(await api.securityKeyStepUpOptions());
      return (await api.mfaRegenerateRecoveryCodes({ credential })).recoveryCodes;
    });
  const saved = () => {
    setRecoveryCodes(undefined);
    changed();
  };

  return (
    <section className="card mfa" aria-labelledby="security-keys-title">
      <h2 id="security-keys-title">Security keys</h2>
      <ErrorBanner message={error} />
      {recoveryCodes ? (
        <RecoveryCodesNotice codes={recoveryCodes} lost="your security key" onSaved={saved} />
      ) : keys === undefined ? (
        <p className="muted">Loading…</p>
      ) : !keys.available ? (
        <p className="muted" data-testid="security-keys-off">
          Security keys are off: the manager does not know its public address (WARDWATCH_PUBLIC_ORIGIN).
        </p>
      ) : (
        <>
          {keys.keys.length === 0 ? (
            <p className="muted">No security key yet. A key signs you in instead of a code.</p>
          ) : (
            <ul className="security-keys" data-testid="security-keys">
              {keys.keys.map((key) => (
                <li key={key.id}>
                  <span data-testid="security-key-name">{key.name}</span>{' '}
                  <span className="muted">
                    added {new Date(key.createdAt).toLocaleDateString()}
                    {key.lastUsedAt ? `, last used ${new Date(key.lastUsedAt).toLocaleString()}` : ''}
                  </span>{' '}
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => remove(key.id)}
                    data-testid="security-key-remove"
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          {keys.keys.length > 0 && securityKeysSupported() ? (
            <button type="button" disabled={busy} onClick={newRecoveryCodes} data-testid="security-key-recovery-codes">
              New recovery codes (signed with a key)
            </button>
          ) : null}
          {securityKeysSupported() ? (
            <form className="sign-in-form" onSubmit={add} noValidate>
              <label htmlFor="security-key-name">Name of the new key</label>
              <input id="security-key-name" name="name" maxLength={64} data-testid="security-key-new-name" />
              <button type="submit" disabled={busy} data-testid="security-key-add">
                Add a security key
              </button>
            </form>
          ) : (
            <p className="muted">This browser cannot use security keys on this page (it needs https).</p>
          )}
        </>
      )}
    </section>
  );
}
