// The dashboard's automatic refreshes tell the manager they are not the user at work
// (header X-WardWatch-Background: 1), so a screen left open still reaches the session's
// idle timeout. A refresh is "background" when its API calls start synchronously inside
// `inBackground` — which is how usePolling's timer calls its loader.
let depth = 0;

export const BACKGROUND_HEADER = 'X-WardWatch-Background';

/** Runs `work`; API calls it starts synchronously are marked as background refreshes. */
export function inBackground<T>(work: () => T): T {
  depth += 1;
  try {
    return work();
  } finally {
    depth -= 1;
  }
}

export function isBackground(): boolean {
  return depth > 0;
}
