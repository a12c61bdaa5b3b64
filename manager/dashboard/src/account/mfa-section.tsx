// The user's second factor on the account page (and alone on the page while the role
// requires one that is not set up): enrol an authenticator app (the secret and its
// otpauth:// URI shown as text, once; no QR code, to stay free of a QR dependency),
// confirm with a first code, see the ten recovery codes once; later, new recovery codes
// or turning it off, each with a current code.
import { TotpCode, type MfaEnrollment, type MfaStatus } from '@wardwatch/shared';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formText } from '../common/form-text';
import { RecoveryCodesNotice } from '../common/recovery-codes-notice';

interface MfaSectionProps {
  api: ApiClient;
  /** The factor was turned on or off (the session's gate may have changed). */
  onChanged: () => void;
}

/** The code field of a form, or undefined (and the error set) when it is not 6 digits. */
function codeOf(event: FormEvent<HTMLFormElement>, setError: (message: string) => void): string | undefined {
  event.preventDefault();
  const parsed = TotpCode.safeParse(formText(new FormData(event.currentTarget), 'code'));
  if (parsed.success) return parsed.data;
  setError('Enter the 6 digits your authenticator app shows.');
  return undefined;
}

export function MfaSection({ api, onChanged }: MfaSectionProps) {
  const [status, setStatus] = useState<MfaStatus | undefined>();
  const [enrollment, setEnrollment] = useState<MfaEnrollment | undefined>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .mfaStatus()
      .then(setStatus)
      .catch((caught: unknown) => setError(errorMessage(caught)));
  }, [api]);
  useEffect(load, [load]);

  const run = <T,>(work: Promise<T>, then: (value: T) => void) => {
    setBusy(true);
    setError(undefined);
    work
      .then(then)
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  const confirm = (event: FormEvent<HTMLFormElement>) => {
    const code = codeOf(event, setError);
    if (code)
      run(api.mfaConfirmEnrollment(code), (answer) => {
        setEnrollment(undefined);
        setRecoveryCodes(answer.recoveryCodes);
      });
  };
  const regenerate = (event: FormEvent<HTMLFormElement>) => {
    const code = codeOf(event, setError);
    if (code) run(api.mfaRegenerateRecoveryCodes({ code }), (answer) => setRecoveryCodes(answer.recoveryCodes));
  };
  const disable = (event: FormEvent<HTMLFormElement>) => {
    const code = codeOf(event, setError);
    if (code)
      run(api.mfaDisable(code), () => {
        load();
        onChanged();
      });
  };
  const saved = () => {
    setRecoveryCodes(undefined);
    load();
    onChanged();
  };

  return (
    <section className="card mfa" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Second factor</h2>
      <ErrorBanner message={error} />
      {recoveryCodes ? (
        <RecoveryCodesNotice codes={recoveryCodes} lost="your phone" onSaved={saved} />
      ) : enrollment ? (
        <form className="sign-in-form" onSubmit={confirm} noValidate>
          <p>Add this account to your authenticator app with the key or the URI below, then enter the code it shows.</p>
          <label htmlFor="mfa-secret">Key</label>
          <code id="mfa-secret" data-testid="mfa-secret">
            {enrollment.secret}
          </code>
          <label htmlFor="mfa-uri">URI</label>
          <code id="mfa-uri" className="wrap" data-testid="mfa-uri">
            {enrollment.otpauthUri}
          </code>
          <label htmlFor="mfa-confirm-code">Code from the app</label>
          <input
            id="mfa-confirm-code"
            name="code"
            autoComplete="one-time-code"
            maxLength={6}
            data-testid="mfa-confirm-code"
          />
          <button type="submit" className="primary" disabled={busy} data-testid="mfa-confirm">
            Turn on
          </button>
        </form>
      ) : status === undefined ? (
        <p className="muted">Loading…</p>
      ) : status.enabled ? (
        <>
          <p data-testid="mfa-state">
            On: sign-in asks for a code from your authenticator app. {status.recoveryCodesLeft} recovery codes left.
          </p>
          <form className="sign-in-form" onSubmit={regenerate} noValidate>
            <label htmlFor="mfa-regenerate-code">Code from the app</label>
            <input id="mfa-regenerate-code" name="code" maxLength={6} data-testid="mfa-regenerate-code" />
            <button type="submit" disabled={busy} data-testid="mfa-regenerate">
              New recovery codes
            </button>
          </form>
          <form className="sign-in-form" onSubmit={disable} noValidate>
            <label htmlFor="mfa-disable-code">Code from the app</label>
            <input id="mfa-disable-code" name="code" maxLength={6} data-testid="mfa-disable-code" />
            <button type="submit" disabled={busy} data-testid="mfa-disable">
              Turn off
            </button>
          </form>
        </>
      ) : (
        <>
          <p data-testid="mfa-state">
            {status.securityKeys
              ? `Security keys: sign-in asks for your password and one of your keys (below). ${status.recoveryCodesLeft} recovery codes left. An authenticator app can be added as well.`
              : status.required
                ? 'Your role must sign in with a second factor. Set up an authenticator app to continue.'
                : 'Off: sign-in asks for your password only.'}
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => run(api.mfaBeginEnrollment(), setEnrollment)}
            data-testid="mfa-begin"
          >
            Set up an authenticator app
          </button>
        </>
      )}
    </section>
  );
}
