// A process tree from (pid, ppid) pairs: pure, so Linux (/proc) and macOS (`ps`) share it.

export interface ParentLink {
  pid: number;
  ppid: number;
}

/** The roots and every descendant of them present in `links` (roots included when present). */
export function descendantsOf(roots: Iterable<number>, links: readonly ParentLink[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of links) {
    if (pid === ppid) continue;
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const present = new Set(links.map((l) => l.pid));
  const out = new Set<number>();
  const queue = [...roots].filter((pid) => present.has(pid));
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (out.has(pid)) continue;
    out.add(pid);
    for (const child of children.get(pid) ?? []) queue.push(child);
  }
  return out;
}
