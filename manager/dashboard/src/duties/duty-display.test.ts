import type { DutyRequestView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { decisionStance } from './duty-display';

const grant: DutyRequestView = {
  id: 'g1',
  requestedBy: 'alice',
  state: 'pending',
  details: { kind: 'role_grant', userId: 'u1', username: 'carol', from: 'analyst', to: 'admin', reason: null },
  createdAt: 1,
  expiresAt: 2,
  decidedBy: null,
  decidedAt: null,
  usableUntil: null,
};

describe('decisionStance', () => {
  it('lets a second person decide a pending request', () => {
    expect(decisionStance(grant, 'bob', 'admin')).toEqual({ may: true });
  });

  it('tells the requester they wait for someone else', () => {
    const stance = decisionStance(grant, 'alice', 'admin');
    expect(stance).toMatchObject({ may: false, why: 'requested' });
    expect(stance.may ? '' : stance.text).toMatch(/another admin.*cannot approve it yourself/);
  });

  it('keeps the account a grant is for out of the decision', () => {
    expect(decisionStance(grant, 'carol', 'admin')).toMatchObject({ may: false, why: 'concerned' });
  });

  it('offers nothing on a request already decided', () => {
    expect(decisionStance({ ...grant, state: 'denied' }, 'bob', 'admin')).toMatchObject({
      may: false,
      why: 'decided',
      text: 'Denied',
    });
  });
});
