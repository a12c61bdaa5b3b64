import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMaintenanceCode } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { CommandKeySealer, deriveSealingKey, SECRET_FILE, sealerFrom } from './command-key.sealing';
import { commandsSut, testAgent, verifiedPayloads } from '../testing/commands.fixture';

describe('command keys', () => {
  it('makes one key on first use and seals its private half', async () => {
    const { keys, keyRows } = commandsSut();
    const [first] = await keys.pinned();
    expect(await keys.pinned()).toEqual([first]);
    expect(keyRows.rows).toHaveLength(1);
    const sealed = Buffer.from(keyRows.rows[0].sealedPrivateKey, 'base64');
    expect(() => new CommandKeySealer(deriveSealingKey('another secret')).open(sealed, first.keyId)).toThrow();
    expect(() => new CommandKeySealer(Buffer.alloc(32, 7)).open(sealed, 'ffffffffffffffff')).toThrow();
    expect(new CommandKeySealer(Buffer.alloc(32, 7)).open(sealed, first.keyId).length).toBeGreaterThan(32);
  });

  it('rotates: every agent but a revoked one gets the new key signed by the one it holds, audited', async () => {
    const sut = commandsSut([testAgent('a1'), testAgent('a2'), testAgent('gone', 'revoked')]);
    const [old] = await sut.keys.pinned();
    const session = await sut.connect('a1');
    const rotation = await sut.keysService.rotate('admin');
    expect(rotation).toMatchObject({ previousKeyId: old.keyId, agents: 2 });
    const [sent] = verifiedPayloads(session.got, [old]);
    expect(sent.keyId).toBe(old.keyId);
    expect(sent.payload.action).toMatchObject({
      $case: 'rotateCommandKey',
      value: { next: { keyId: rotation.keyId } },
    });
    expect(sut.commandRows.rows.map((r) => [r.agentId, r.state])).toEqual([
      ['a1', 'sent'],
      ['a2', 'queued'],
    ]);
    expect(sut.auditRows.actions()[0]).toBe('command_key.rotated');
    // Both pinned until the next rotation, which retires the oldest.
    expect((await sut.keys.pinned()).map((k) => k.keyId)).toEqual([rotation.keyId, old.keyId]);
    const again = await sut.keysService.rotate('admin');
    expect((await sut.keys.pinned()).map((k) => k.keyId)).toEqual([again.keyId, rotation.keyId]);
  });

  it('signs a maintenance code with a key the agent pinned, bounded to 24 h, audited without the code', async () => {
    const { keysService, keys, connect, auditRows } = commandsSut();
    await connect('a1');
    const view = await keysService.maintenanceCode('a1', { maxMinutes: 45, validMinutes: 1_440 }, 'alice');
    const code = parseMaintenanceCode(view.code);
    expect(code?.payload).toMatchObject({ agentId: 'a1', maxMinutes: 45, issuedBy: 'alice', issuedAtMs: 1_000_000 });
    expect(code?.payload.expiresAtMs).toBe(1_000_000 + 86_400_000);
    expect(code?.keyId).toBe((await keys.pinned())[0].keyId);
    expect(JSON.stringify(auditRows.rows)).not.toContain(view.code.split('.')[1]);
    await expect(keysService.maintenanceCode('nobody', { maxMinutes: 5, validMinutes: 5 }, 'a')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps the sealing secret in a 0600 file when no secret is configured, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-seal-'));
    try {
      const sealed = sealerFrom(undefined, dir).seal(Buffer.from('pkcs8'), 'k1');
      expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, SECRET_FILE), 'utf8').trim()).toHaveLength(44);
      expect(sealerFrom(undefined, dir).open(sealed, 'k1').toString()).toBe('pkcs8');
      expect(() => sealerFrom('x'.repeat(32), dir).open(sealed, 'k1')).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
