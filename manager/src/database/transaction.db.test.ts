// The transaction runner on both engines: a change and its audit row commit or roll
// back together, writers that collide on the audit chain are run again, and a Tx
// cannot be used once its transaction has ended.
import { describe, expect, it } from 'vitest';
import type { UserEntity } from '../auth/user.entity';
import { testEngines } from '../testing/test-engines.fixture';
import { databaseForTests } from '../testing/engine-database.fixture';
import { entityManager, type Tx } from './transaction.runner';

const user = (username: string): UserEntity => ({
  id: `id-${username}`,
  username,
  passwordHash: 'x',
  role: 'analyst',
  createdAt: 1,
  disabledAt: null,
  mustChangePassword: false,
});

describe.each(testEngines)('transactions on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('commits a change and its audit row together', async () => {
    const { transactions, repos, audit } = open.services;
    await transactions.run(async (tx) => {
      await repos.users.insert(user('kept'), tx);
      await audit.append({ actor: 'admin', action: 'user.create', target: 'kept' }, tx);
    });
    expect(await repos.users.findByUsername('kept')).not.toBeNull();
    expect((await audit.list(1))[0]).toMatchObject({ target: 'kept' });
  });

  it.skipIf(skip)('rolls both back when the work fails after writing them', async () => {
    const { transactions, repos, audit } = open.services;
    const before = (await audit.list(1))[0]?.seq ?? 0;
    await expect(
      transactions.run(async (tx) => {
        await repos.users.insert(user('lost'), tx);
        await audit.append({ actor: 'admin', action: 'user.create', target: 'lost' }, tx);
        throw new Error('refused after writing');
      }),
    ).rejects.toThrow('refused after writing');
    expect(await repos.users.findByUsername('lost')).toBeNull();
    expect((await audit.list(1))[0]?.seq ?? 0).toBe(before);
  });

  it.skipIf(skip)(
    'runs colliding audited changes again until each commits, and the chain holds',
    async () => {
      const created = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          open.services.users.create({ username: `nurse-${i}`, role: 'analyst' }, 'admin'),
        ),
      );
      expect(created).toHaveLength(6);
      expect(await open.services.audit.verify()).toMatchObject({ ok: true });
      // Six colliding retries, each hashing a password, on a busy 2-core machine.
    },
    60_000,
  );

  it.skipIf(skip)('refuses a Tx used after its transaction ended', async () => {
    let leaked: Tx | undefined;
    await open.services.transactions.run((tx) => {
      leaked = tx;
      return Promise.resolve();
    });
    expect(() => entityManager(open.db, leaked)).toThrow('this transaction has ended');
  });
});
