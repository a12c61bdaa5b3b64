// Approve or deny one request under the two-person rule; a denial may say why (audited).
// The requester, and the account a grant is for, see why they cannot decide instead.
import { useState } from 'react';
import type { DecisionStance } from './duty-display';

export function DutyDecision({
  stance,
  busy,
  onApprove,
  onDeny,
}: {
  stance: DecisionStance;
  busy: boolean;
  onApprove: () => void;
  onDeny: (reason: string) => void;
}) {
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  if (!stance.may) {
    return (
      <span className={stance.why === 'decided' ? 'muted' : 'strong'} data-testid="duty-cannot-decide">
        {stance.text}
      </span>
    );
  }
  if (denying) {
    return (
      <span className="duty-deny">
        <label>
          <span className="visually-hidden">Why deny (optional, audited)</span>
          <input
            maxLength={500}
            placeholder="Why (optional)"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-testid="duty-deny-reason"
          />
        </label>{' '}
        <button type="button" disabled={busy} onClick={() => onDeny(reason.trim())} data-testid="duty-deny-confirm">
          Confirm deny
        </button>{' '}
        <button type="button" disabled={busy} onClick={() => setDenying(false)}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <span>
      <button type="button" className="primary" disabled={busy} onClick={onApprove} data-testid="duty-approve">
        Approve
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => setDenying(true)} data-testid="duty-deny">
        Deny
      </button>
    </span>
  );
}
