// Validates a Score from an agent (the gRPC boundary) into what is stored. A
// workstation is not trusted: sizes are capped, numbers must be finite and in
// range, and a bad score is rejected with the reason, never half stored.
import type { Score } from '@wardwatch/proto';
import { z } from 'zod';

const WireReason = z.object({
  text: z.string().trim().min(1).max(500),
  source: z.enum(['rule', 'baseline', 'model', 'context']),
  feature: z.string().max(64),
  ruleId: z.string().max(64),
  value: z.number().finite().optional(),
  usual: z.number().finite().optional(),
});

const WireScore = z
  .object({
    id: z.string().min(1).max(64),
    windowStartMs: z.number().int().min(0),
    windowEndMs: z.number().int().min(0),
    // '' : the agent's critical score left before the user's token came (OPRF mode, bounded wait).
    user: z.string().max(256),
    score: z.number().min(0).max(100),
    threshold: z.number().min(0).max(100),
    severity: z.number().int().min(0).max(5),
    modelSource: z.enum(['own', 'fleet', 'none']),
    baselineSource: z.string().max(16),
    reasons: z.array(WireReason).max(16),
    ruleIds: z.array(z.string().max(64)).max(32),
    scoredAtMs: z.number().int().min(0),
    partial: z.boolean(),
    // pid 1 and the kernel's threads are never a suspect; the executable is not kept (a pseudonymised path).
    suspects: z
      .array(z.object({ pid: z.number().int().min(2).max(4_194_304), startTime: z.number().int().min(0) }))
      .max(8)
      .default([]),
    // The behavioural fingerprint's judgement (issue #10, item 5): bounded numbers, a known source.
    identity: z
      .object({
        mismatch: z.number().min(0).max(1),
        sessions: z.number().int().min(0).max(10_000),
        source: z.enum(['user', 'peer', 'fleet']),
      })
      .optional(),
  })
  .refine((s) => s.windowEndMs > s.windowStartMs, 'the window must end after it starts');

export interface ScoreRecord {
  agentId: string;
  scoreId: string;
  user: string;
  windowStart: number;
  windowEnd: number;
  score: number;
  threshold: number;
  severity: number;
  modelSource: string;
  baselineSource: string;
  reasons: {
    text: string;
    source: 'rule' | 'baseline' | 'model' | 'context';
    feature?: string;
    ruleId?: string;
    value?: number;
    usual?: number;
  }[];
  ruleIds: string[];
  partial: boolean;
  /** Processes the agent held responsible (pid, start time), at most 8. */
  suspects: { pid: number; startTime: number }[];
  /** 0–1: how unlike its owner the window's least owner-like session was; null when the agent judged none. */
  identityMismatch: number | null;
  scoredAt: number;
  receivedAt: number;
}

export type ScoreCheck = { ok: true; record: ScoreRecord } | { ok: false; reason: string };

export function toScoreRecord(score: Score, agentId: string, receivedAt: number): ScoreCheck {
  const parsed = WireScore.safeParse(score);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue.path.join('.') || 'score'}: ${issue.message}` };
  }
  const s = parsed.data;
  return {
    ok: true,
    record: {
      agentId,
      scoreId: s.id,
      user: s.user,
      windowStart: s.windowStartMs,
      windowEnd: s.windowEndMs,
      score: s.score,
      threshold: s.threshold,
      severity: s.severity,
      modelSource: s.modelSource,
      baselineSource: s.baselineSource,
      reasons: s.reasons.map((r) => ({
        text: r.text,
        source: r.source,
        ...(r.feature ? { feature: r.feature } : {}),
        ...(r.ruleId ? { ruleId: r.ruleId } : {}),
        ...(r.value !== undefined ? { value: r.value } : {}),
        ...(r.usual !== undefined ? { usual: r.usual } : {}),
      })),
      ruleIds: s.ruleIds,
      partial: s.partial,
      suspects: s.suspects.map(({ pid, startTime }) => ({ pid, startTime })),
      identityMismatch: s.identity?.mismatch ?? null,
      scoredAt: s.scoredAtMs,
      receivedAt,
    },
  };
}
