// Revoking a workstation: the manager refuses its certificate from then on and ends its
// stream, and it must be enrolled again to report. A modal dialog names the workstation
// (as text) and says so before anything is sent; Cancel or Escape changes nothing.
import type { AgentView } from '@wardwatch/shared';
import { useRef, useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';

export function RevokeAgentButton({
  api,
  agent,
  onRevoked,
}: {
  api: ApiClient;
  agent: AgentView;
  onRevoked: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const revoke = () => {
    setBusy(true);
    setError(undefined);
    api
      .revokeAgent(agent.id)
      .then(() => {
        dialog.current?.close();
        onRevoked();
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" className="danger" data-testid="agent-revoke" onClick={() => dialog.current?.showModal()}>
        Revoke
      </button>
      <dialog ref={dialog} aria-labelledby="revoke-title" data-testid="revoke-dialog" className="confirm-dialog">
        <h2 id="revoke-title">Revoke this workstation?</h2>
        <p>
          The manager will refuse <strong data-testid="revoke-hostname">{agent.hostname}</strong> from now on and end
          its connection. Its events stop arriving until it is enrolled again with a new token. This is audited.
        </p>
        <ErrorBanner message={error} />
        <div className="dialog-buttons">
          <button type="button" onClick={() => dialog.current?.close()} data-testid="revoke-cancel">
            Cancel
          </button>
          <button type="button" className="danger" disabled={busy} onClick={revoke} data-testid="revoke-confirm">
            Revoke workstation
          </button>
        </div>
      </dialog>
    </>
  );
}
