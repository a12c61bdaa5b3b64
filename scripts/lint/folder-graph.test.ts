import { describe, expect, it } from 'vitest';
import { folderCycles, folderEdges, folderOf } from './folder-graph';

describe('folder graph', () => {
  it('names the capability folder of a production module only', () => {
    expect(folderOf('manager/src/alerts/alert.service.ts')).toBe('manager/src/alerts');
    expect(folderOf('agent/src/collectors/logins/parsers/sshd.ts')).toBe('agent/src/collectors');
    expect(folderOf('manager/src/alerts/alert.service.test.ts')).toBeUndefined();
    expect(folderOf('manager/src/testing/test-manager.fixture.ts')).toBeUndefined();
    expect(folderOf('manager/src/main.ts')).toBeUndefined();
  });

  it('finds two folders that import each other, through any module of each', () => {
    const edges = folderEdges([
      { source: 'manager/src/events/event-ingest.service.ts', targets: ['manager/src/alerts/alert.service.ts'] },
      { source: 'manager/src/alerts/alert.service.ts', targets: ['manager/src/events/event-view.mapper.ts'] },
      { source: 'manager/src/users/users.service.ts', targets: ['manager/src/audit/audit.service.ts'] },
    ]);
    expect(folderCycles(edges)).toEqual([['manager/src/alerts', 'manager/src/events']]);
  });

  it('finds a longer loop and ignores edges from tests', () => {
    const edges = folderEdges([
      { source: 'agent/src/a/x.ts', targets: ['agent/src/b/y.ts'] },
      { source: 'agent/src/b/y.ts', targets: ['agent/src/c/z.ts'] },
      { source: 'agent/src/c/z.ts', targets: ['agent/src/a/w.ts'] },
      { source: 'agent/src/d/d.test.ts', targets: ['agent/src/a/x.ts'] },
      { source: 'agent/src/a/x.ts', targets: ['agent/src/d/d.ts'] },
    ]);
    expect(folderCycles(edges)).toEqual([['agent/src/a', 'agent/src/b', 'agent/src/c']]);
  });
});
