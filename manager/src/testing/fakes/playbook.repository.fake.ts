// In-memory PlaybookRepository for unit tests; like the table, a second row with the same
// (playbook, version) is refused.
import type { PlaybookVersionEntity } from '../../playbooks/playbook-version.entity';
import type { PlaybookRepository } from '../../playbooks/playbook.repository';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryPlaybookRepository
  extends InMemoryTable<PlaybookVersionEntity>
  implements Public<PlaybookRepository>
{
  latestAll(limit: number): Promise<PlaybookVersionEntity[]> {
    const latest = new Map<string, PlaybookVersionEntity>();
    for (const row of this.rows) {
      const held = latest.get(row.playbookId);
      if (!held || held.version < row.version) latest.set(row.playbookId, row);
    }
    const rows = [...latest.values()].sort((a, b) => (a.playbookId < b.playbookId ? -1 : 1));
    return Promise.resolve(structuredClone(rows.slice(0, limit)));
  }
  latest(playbookId: string): Promise<PlaybookVersionEntity | null> {
    const rows = this.rows.filter((r) => r.playbookId === playbookId).sort((a, b) => b.version - a.version);
    return Promise.resolve(rows[0] ? structuredClone(rows[0]) : null);
  }
  versions(playbookId: string, limit: number): Promise<PlaybookVersionEntity[]> {
    const rows = this.rows.filter((r) => r.playbookId === playbookId).sort((a, b) => b.version - a.version);
    return Promise.resolve(structuredClone(rows.slice(0, limit)));
  }
  count(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
  insert(row: PlaybookVersionEntity): Promise<void> {
    if (this.rows.some((r) => r.playbookId === row.playbookId && r.version === row.version))
      return Promise.reject(new Error('duplicate key'));
    this.rows.push(structuredClone(row));
    return Promise.resolve();
  }
}
