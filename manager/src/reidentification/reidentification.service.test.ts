import { pseudonymToken } from '@wardwatch/shared/pseudonyms';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { EventQueryService } from '../events/event-query.service';
import type { EventRecord } from '../events/event-record';
import type { PkiService } from '../pki/pki.service';
import { InMemoryEventRepository } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import type { DutyRequestRepository } from '../duty-requests/duty-request.repository';
import { DutyRequestService } from '../duty-requests/duty-request.service';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { QuestionBinding } from './question-binding';
import { MAX_REQUESTS, ReidentificationRateLimiter } from './reidentification.rate-limiter';
import { ReidentificationService } from './reidentification.service';
import { SitePseudonyms } from './site-pseudonyms';

const KEY = Buffer.alloc(32, 9);
const why = { reason: 'Alert 42: letters copied to USB', caseReference: 'INC-42' };

function sut() {
  const auditRows = new InMemoryAuditRepository();
  const events = new InMemoryEventRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([auditRows]));
  const clock = new FakeClock();
  const pki = fake<Pick<PkiService, 'pseudonymKey'>>({ pseudonymKey: KEY }) as PkiService;
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const pseudonyms = new SitePseudonyms(pki);
  const service = new ReidentificationService(
    pseudonyms,
    new ReidentificationRateLimiter(clock),
    audit,
    new EventQueryService(fake(events)),
    // A single-person site: answered at once (the second-person rule: duty-requests.http.test.ts).
    new DutyRequestService(
      fake<DutyRequestRepository>({
        insert: unused,
        findById: unused,
        updateFrom: unused,
        list: unused,
        duePending: unused,
      }),
      transactions,
      audit,
      clock,
      new FakeRandom(),
      { duties: { singlePersonReason: 'a single-person test site', requestTtlMs: 1, answerWindowMs: 1 } },
    ),
    new QuestionBinding(pseudonyms),
    transactions,
  );
  return { service, auditRows, events };
}

describe('ReidentificationService', () => {
  it('names the matching candidate and audits the question without clear values', async () => {
    const { service, auditRows } = sut();
    const token = pseudonymToken(KEY, 'user', 'jdoe');
    const result = await service.match('officer', { token, candidates: ['asmith', 'jdoe'], ...why });
    expect(result).toMatchObject({ token, kind: 'user', match: 'jdoe', candidatesChecked: 2, auditSeq: 1 });
    expect(auditRows.rows[0]).toMatchObject({ action: 'reidentification.match', target: token });
    expect(JSON.stringify(auditRows.rows)).not.toContain('jdoe');
  });

  it("looks a user's token up with the count of their stored events", async () => {
    const { service, events } = sut();
    const token = pseudonymToken(KEY, 'user', 'jdoe');
    events.rows = [{ agentId: 'a', eventId: 'e1', user: token } as EventRecord];
    expect(await service.lookup('officer', { kind: 'user', value: 'jdoe', ...why })).toMatchObject({
      token,
      events: 1,
      inClear: false,
    });
  });

  it('audits and refuses a malformed request, naming fields only', async () => {
    const { service, auditRows } = sut();
    await expect(service.match('officer', { token: 'nope', candidates: ['jdoe'] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(auditRows.rows[0]).toMatchObject({
      action: 'reidentification.refused',
      details: { question: 'match', why: 'invalid_request' },
    });
    expect(JSON.stringify(auditRows.rows)).not.toContain('jdoe');
  });

  it('rate-limits an officer, audited', async () => {
    const { service, auditRows } = sut();
    for (let i = 0; i < MAX_REQUESTS; i++) await service.lookup('officer', { kind: 'host', value: `ws-${i}`, ...why });
    await expect(service.lookup('officer', { kind: 'host', value: 'ws-x', ...why })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(auditRows.rows.at(-1)).toMatchObject({ details: { why: 'rate_limited' } });
  });
});

function unused(): never {
  throw new Error('a single-person site stores no duty request');
}
