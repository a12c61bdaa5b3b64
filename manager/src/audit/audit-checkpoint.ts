// Signed checkpoints of the audit chain, kept off the database (a file and syslog).
// A checkpoint says "the chain had `count` rows, the last was `lastSeq` with link
// `lastMac`, at `timeMs`", signed with the keyring's Ed25519 key. The chain alone
// cannot show that its newest rows were deleted (what is left still links up); a
// checkpoint can: every checkpoint's row must still be there with the same link.
// Rows written after the newest checkpoint are covered only by the next one, so
// the checkpoint interval bounds what a truncation can hide.
import { sign, verify } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, type AuditRow } from './audit-chain';
import type { AuditKeyring } from './audit-keyring';

export const CheckpointBody = z.object({
  v: z.literal(1),
  lastSeq: z.number().int().min(0),
  count: z.number().int().min(0),
  lastMac: z.string().regex(/^[0-9a-f]{64}$/),
  timeMs: z.number().int(),
  keyedFromSeq: z.number().int().min(1),
});
export type CheckpointBody = z.infer<typeof CheckpointBody>;
export const SignedCheckpoint = CheckpointBody.extend({ sig: z.string().max(200) });
export type SignedCheckpoint = z.infer<typeof SignedCheckpoint>;

export function signCheckpoint(
  keyring: AuditKeyring,
  body: Omit<CheckpointBody, 'v' | 'keyedFromSeq'>,
): SignedCheckpoint {
  const full: CheckpointBody = { v: 1, ...body, keyedFromSeq: keyring.keyedFromSeq };
  const sig = sign(null, Buffer.from(canonicalJson(full)), keyring.signingKey).toString('base64');
  return { ...full, sig };
}

export type CheckpointParse =
  { ok: true; checkpoints: SignedCheckpoint[] } | { ok: false; line: number; reason: string };

/** Parses the checkpoint file's lines; one unreadable or wrongly signed line fails the whole file. */
export function parseCheckpoints(text: string, keyring: AuditKeyring): CheckpointParse {
  const checkpoints: SignedCheckpoint[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let parsed: SignedCheckpoint;
    try {
      parsed = SignedCheckpoint.parse(JSON.parse(lines[i]));
    } catch {
      return { ok: false, line: i + 1, reason: `checkpoint file line ${i + 1} does not parse` };
    }
    const { sig, ...body } = parsed;
    if (!verify(null, Buffer.from(canonicalJson(body)), keyring.publicKey, Buffer.from(sig, 'base64')))
      return { ok: false, line: i + 1, reason: `checkpoint file line ${i + 1} has a bad signature` };
    checkpoints.push(parsed);
  }
  return { ok: true, checkpoints };
}

export type CheckpointVerdict = { ok: true } | { ok: false; badSeq: number; reason: string };

/**
 * Checks the rows (already verified as one chain, oldest first) against every
 * checkpoint: each checkpoint's row must be there with the link it signed. A
 * failure names the checkpoint's row, which stays the same however many rows are
 * appended afterwards (so one tampering is one failure state).
 */
export function checkAgainstCheckpoints(
  rows: readonly AuditRow[],
  checkpoints: readonly SignedCheckpoint[],
): CheckpointVerdict {
  for (const cp of checkpoints) {
    if (cp.lastSeq === 0) continue;
    const row = rows[cp.lastSeq - 1] as AuditRow | undefined;
    const when = new Date(cp.timeMs).toISOString();
    if (!row)
      return {
        ok: false,
        badSeq: cp.lastSeq,
        reason: `row ${cp.lastSeq}, signed in the checkpoint of ${when}, is missing: the table ends at ${rows.length}`,
      };
    if (row.seq !== cp.lastSeq || row.hash !== cp.lastMac)
      return {
        ok: false,
        badSeq: cp.lastSeq,
        reason: `row ${cp.lastSeq} differs from the checkpoint of ${when}`,
      };
  }
  return { ok: true };
}
