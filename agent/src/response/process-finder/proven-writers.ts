// Which found writers may be named as suspects or killed without a person looking:
// those proven by an audit record, an open file or a working directory in the folders.
// A process found only because its write counters moved is a guess (a database or a
// backup writes a lot too), and killing a clinician's program on a guess is worse than
// a few more encrypted files: it is shown in diagnostics, never acted on.
import type { ProcessRef } from '../actions/response-actions';

export function provenWriters<T extends ProcessRef>(found: readonly T[]): T[] {
  return found.filter((p) => !('evidence' in p) || p.evidence !== 'io');
}
