/**
 * Cycles between capability folders (`manager/src/alerts` ↔ `manager/src/events`), which a
 * module-level cycle check misses: two folders that import each other are one capability in two
 * rooms. Tests, fixtures and benches may reach across; only production modules count.
 */

export type ModuleEdges = ReadonlyArray<{ source: string; targets: readonly string[] }>;

const FOLDER = /^((?:agent|manager|shared)\/src\/[^/]+)\//;
const NOT_PRODUCTION = /\.(test|fixture|bench)\.tsx?$|^manager\/src\/testing\//;

/** The capability folder a module lives in, or undefined for a root file or a non-production one. */
export function folderOf(path: string): string | undefined {
  if (NOT_PRODUCTION.test(path)) return undefined;
  return FOLDER.exec(path)?.[1];
}

export function folderEdges(modules: ModuleEdges): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { source, targets } of modules) {
    const from = folderOf(source);
    if (!from) continue;
    for (const target of targets) {
      const to = folderOf(target);
      if (!to || to === from) continue;
      let set = edges.get(from);
      if (!set) edges.set(from, (set = new Set()));
      set.add(to);
    }
  }
  return edges;
}

/** Strongly connected components with more than one folder (Tarjan), each sorted by name. */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
