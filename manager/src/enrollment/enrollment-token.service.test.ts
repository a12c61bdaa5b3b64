import { describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { sha256Hex } from '../common/hash';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryEnrollmentTokenRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FAKE_TX, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { EnrollmentTokenService, TOKEN_PREFIX } from './enrollment-token.service';

function sut() {
  const tokens = new InMemoryEnrollmentTokenRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([tokens, auditRows]));
  const clock = new FakeClock(10_000);
  const service = new EnrollmentTokenService(
    fake(tokens),
    transactions,
    clock,
    new FakeRandom(),
    new AuditService(fake(auditRows), transactions, clock, testAuditKeyring()),
  );
  return { service, tokens, auditRows, clock };
}

describe('EnrollmentTokenService', () => {
  it('stores only the hash of a new token, with its expiry, audited', async () => {
    const { service, tokens, auditRows } = sut();
    const created = await service.create(30, 'admin');
    expect(created).toEqual({
      token: expect.stringMatching(`^${TOKEN_PREFIX}`) as unknown,
      expiresAt: 10_000 + 30 * 60_000,
    });
    expect(tokens.rows).toEqual([expect.objectContaining({ tokenHash: sha256Hex(created.token), usedAt: null })]);
    expect(auditRows.rows[0]).toMatchObject({
      action: 'enrollment_token.create',
      target: sha256Hex(created.token).slice(0, 12),
    });
  });

  it('is spent once; a second use says why', async () => {
    const { service } = sut();
    const { token } = await service.create(30, 'admin');
    await service.consume(FAKE_TX, token, 'agent-1');
    await expect(service.consume(FAKE_TX, token, 'agent-2')).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'enrollment token already used',
    });
  });

  it('expires', async () => {
    const { service, clock } = sut();
    const { token } = await service.create(1, 'admin');
    clock.advance(60_000);
    await expect(service.assertUsable(token)).rejects.toMatchObject({ message: 'enrollment token expired' });
  });

  it('lists tokens by their hash, newest first, each in the state it is in now', async () => {
    const { service, clock } = sut();
    const first = await service.create(1, 'admin');
    clock.advance(1_000);
    const second = await service.create(60, 'alice');
    clock.advance(1_000);
    const third = await service.create(60, 'alice');
    await service.consume(FAKE_TX, third.token, 'agent-3');
    clock.advance(60_000);
    const listed = await service.list();
    expect(listed.map((t) => [t.id, t.state, t.createdBy])).toEqual([
      [sha256Hex(third.token), 'used', 'alice'],
      [sha256Hex(second.token), 'active', 'alice'],
      [sha256Hex(first.token), 'expired', 'admin'],
    ]);
    expect(JSON.stringify(listed)).not.toContain(first.token);
  });

  it('revokes an unused token: refused from then on, audited once', async () => {
    const { service, auditRows } = sut();
    const { token } = await service.create(30, 'admin');
    await service.revoke(sha256Hex(token), 'alice');
    await service.revoke(sha256Hex(token), 'alice');
    await expect(service.consume(FAKE_TX, token, 'agent-1')).rejects.toMatchObject({
      code: 'invalid_token',
      message: 'enrollment token revoked',
    });
    expect((await service.list())[0]).toMatchObject({ state: 'revoked', revokedAt: 10_000 });
    expect(auditRows.rows.filter((r) => r.action === 'enrollment_token.revoke')).toEqual([
      expect.objectContaining({ actor: 'alice', target: sha256Hex(token).slice(0, 12) }),
    ]);
  });

  it('will not revoke a used or unknown token', async () => {
    const { service } = sut();
    const { token } = await service.create(30, 'admin');
    await service.consume(FAKE_TX, token, 'agent-1');
    await expect(service.revoke(sha256Hex(token), 'alice')).rejects.toMatchObject({ code: 'token_used' });
    await expect(service.revoke('0'.repeat(64), 'alice')).rejects.toMatchObject({ code: 'token_not_found' });
  });
});
