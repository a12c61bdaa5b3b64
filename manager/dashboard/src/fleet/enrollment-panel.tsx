// Enrolling workstations from the dashboard (roles holding `agents:manage`): create a
// single-use token with an expiry, copy the install command for the workstation's OS,
// see every token's state and revoke one not yet used. The token's text is shown once,
// in the answer to its creation; the list knows tokens by their hash only.
import type { AgentInstallInfo, EnrollmentTokenList, EnrollmentTokenView } from '@wardwatch/shared';
import { useCallback, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads } from '../common/column-heads';
import {
  defaultAddress,
  hostIsCertified,
  installCommand,
  installOsNames,
  installProblem,
  type InstallOs,
} from './install-commands';

const lifetimes = [
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '1 day' },
  { minutes: 7 * 24 * 60, label: '7 days' },
];

export function EnrollmentPanel({ api }: { api: ApiClient }) {
  const loadTokens = useCallback(() => api.enrollmentTokens(), [api]);
  const tokens = usePolling<EnrollmentTokenList>(loadTokens, 15_000);
  const loadInfo = useCallback(() => api.agentInstallInfo(), [api]);
  const info = usePolling<AgentInstallInfo>(loadInfo, 300_000);
  const [ttl, setTtl] = useState(60);
  const [created, setCreated] = useState<EnrollmentTokenView>();
  const [error, setError] = useState<string>();
  const now = useNow();

  const create = () => {
    setError(undefined);
    api
      .createEnrollmentToken(ttl)
      .then((token) => {
        setCreated(token);
        tokens.refresh();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };
  const revoke = (id: string) => {
    setError(undefined);
    api
      .revokeEnrollmentToken(id)
      .then(() => tokens.refresh())
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };

  return (
    <section aria-labelledby="enroll-title" className="enrollment" data-testid="enrollment-panel">
      <h2 id="enroll-title">Enroll workstations</h2>
      <div className="enroll-create">
        <label>
          Token valid for{' '}
          <select value={ttl} onChange={(e) => setTtl(Number(e.target.value))} data-testid="token-ttl">
            {lifetimes.map((l) => (
              <option key={l.minutes} value={l.minutes}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={create} data-testid="token-create">
          Create token
        </button>
        <span className="muted">Each token enrolls one workstation.</span>
      </div>
      <ErrorBanner message={error ?? tokens.error ?? info.error} />
      {created && info.data ? <InstallCommands token={created} info={info.data} /> : null}
      <div className="table-wrap">
        <table data-testid="token-table">
          <ColumnHeads columns={['Token', 'State', 'Created', 'Expires', 'Enrolled agent', 'Action']} />
          <tbody>
            {(tokens.data?.items ?? []).map((t) => (
              <tr key={t.id} data-testid="token-row" data-token-id={t.id}>
                <td className="mono" title="SHA-256 of the token">
                  {t.id.slice(0, 12)}…
                </td>
                <td>
                  <span className={`badge token-${t.state}`} data-testid="token-state">
                    {t.state}
                  </span>
                </td>
                <td>
                  <TimeCell ms={t.createdAt} now={now} /> <span className="muted">by {t.createdBy}</span>
                </td>
                <td>
                  <TimeCell ms={t.expiresAt} now={now} />
                </td>
                <td className="mono">{t.usedByAgent ?? <span className="muted">—</span>}</td>
                <td>
                  {t.state === 'active' ? (
                    <button type="button" onClick={() => revoke(t.id)} data-testid="token-revoke">
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
            {tokens.data && tokens.data.items.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No tokens yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function InstallCommands({ token, info }: { token: EnrollmentTokenView; info: AgentInstallInfo }) {
  const [address, setAddress] = useState(() => defaultAddress(window.location.hostname, info.grpcPort));
  const [os, setOs] = useState<InstallOs>('linux');
  const [copied, setCopied] = useState(false);
  const input = { address, caFingerprint: info.caFingerprint, token: token.token };
  const problem = installProblem(input);
  const command = problem ? '' : installCommand(os, input);
  const copy = () => {
    navigator.clipboard
      .writeText(command)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };
  return (
    <div className="install" data-testid="install">
      <p>
        New token, shown this once: <code data-testid="token-text">{token.token}</code>
      </p>
      <label>
        Manager address as workstations reach it{' '}
        <input
          value={address}
          onChange={(e) => {
            setAddress(e.target.value.trim());
            setCopied(false);
          }}
          data-testid="install-address"
          size={32}
        />
      </label>
      {!problem && !hostIsCertified(address, info.serverNames) ? (
        <p className="muted" data-testid="install-address-warning">
          The manager&apos;s certificate is not made for this host: add it to WARDWATCH_TLS_SANS, or use one of{' '}
          {info.serverNames.join(', ')}.
        </p>
      ) : null}
      <div role="tablist" aria-label="Operating system" className="range-picker">
        {(Object.keys(installOsNames) as InstallOs[]).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={name === os}
            aria-pressed={name === os}
            onClick={() => {
              setOs(name);
              setCopied(false);
            }}
            data-testid={`install-os-${name}`}
          >
            {installOsNames[name]}
          </button>
        ))}
      </div>
      {problem ? (
        <ErrorBanner message={problem} />
      ) : (
        <>
          <pre className="install-command" data-testid="install-command">
            {command}
          </pre>
          <button type="button" onClick={copy} data-testid="install-copy">
            {copied ? 'Copied' : 'Copy command'}
          </button>
        </>
      )}
    </div>
  );
}
