// What a person may do with a request under the two-person rule, and how to say it.
// The manager decides (it refuses the requester and the account a grant is for); the
// page only spares people a button that can only be refused, and says why.
import type { DutyRequestState, DutyRequestView } from '@wardwatch/shared';

export type DecisionStance = { may: true } | { may: false; why: 'requested' | 'concerned' | 'decided'; text: string };

/** `self` is the signed-in username; `secondPerson` names who must decide ("admin", "privacy officer"). */
export function decisionStance(request: DutyRequestView, self: string, secondPerson: string): DecisionStance {
  if (request.state !== 'pending') {
    return { may: false, why: 'decided', text: stateText(request.state) };
  }
  if (request.requestedBy === self) {
    return {
      may: false,
      why: 'requested',
      text: `Waiting for another ${secondPerson}: you asked for this, so you cannot approve it yourself.`,
    };
  }
  if (request.details.kind === 'role_grant' && request.details.username === self) {
    return {
      may: false,
      why: 'concerned',
      text: `This grant is for your own account: another ${secondPerson} must decide.`,
    };
  }
  return { may: true };
}

const stateTexts: Record<DutyRequestState, string> = {
  pending: 'Waiting for a second person',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired before anyone decided',
  used: 'Approved and answered (used once)',
};

export function stateText(state: DutyRequestState): string {
  return stateTexts[state];
}
