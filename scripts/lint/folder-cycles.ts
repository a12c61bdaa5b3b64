/** `npm run deps`, second half: fails when two capability folders import each other (see folder-graph.ts). */
import { folderCycles, folderEdges, folderOf } from './folder-graph';

async function main(): Promise<void> {
  // dependency-cruiser is published as ES modules only; our scripts are CommonJS.
  const { cruise } = await import('dependency-cruiser');
  const result = await cruise(['proto/src', 'shared/src', 'agent/src', 'manager/src'], {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/|^proto/src/gen/' },
    tsPreCompilationDeps: true,
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser answered text, not modules');
  const modules = result.output.modules.map((m) => ({
    source: m.source,
    targets: m.dependencies.map((d) => d.resolved),
  }));
  const cycles = folderCycles(folderEdges(modules));
  for (const cycle of cycles) {
    console.error(`folder cycle: ${cycle.join(' ↔ ')}`);
    // The imports that make it, so the reader knows which one to move.
    const members = new Set(cycle);
    for (const { source, targets } of modules) {
      const from = folderOf(source);
      if (!from || !members.has(from)) continue;
      for (const target of targets) {
        const to = folderOf(target);
        if (to && to !== from && members.has(to)) console.error(`  ${source} → ${target}`);
      }
    }
  }
  if (cycles.length > 0) process.exit(1);
  console.log(`no folder cycles (${modules.length} modules)`);
}

void main();
