// Playbooks: what the manager does about an alert, as validated, versioned data. The
// manager's API and the dashboard's editor validate with these same schemas, so an
// error shown in the editor is the one the API would answer (path + message).
//
// A playbook holds rules; a rule's conditions (all optional, all must hold) pick the
// alerts it applies to, and its actions say what to do and how: `automatic` (issued at
// once, within the caps), `approve` (a person must agree first) or `notify` (audited only).
import { z } from 'zod';
import { ClinicalRole } from './staff-roles.schema';
import { WorkstationTag, WorkstationUnit } from './workstation-tags.schema';

export const playbookActionKinds = [
  'revoke_session',
  'lock_screen',
  'kill_process_tree',
  'block_removable',
  'disable_account',
  'collect_diagnostics',
  'notify',
] as const;
export const PlaybookActionKind = z.enum(playbookActionKinds);
export type PlaybookActionKind = z.infer<typeof PlaybookActionKind>;

export const playbookModes = ['automatic', 'approve', 'notify'] as const;
export const PlaybookMode = z.enum(playbookModes);
export type PlaybookMode = z.infer<typeof PlaybookMode>;

/** Alert severities a condition may name, lowest first. */
export const PlaybookSeverity = z.enum(['low', 'medium', 'high', 'critical']);
export type PlaybookSeverity = z.infer<typeof PlaybookSeverity>;

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a rule id: lower-case letters, digits and dashes');
const FeatureName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a feature name: letters, digits, _ . -');
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00–23:59)');
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).min(1).max(max);

export const PlaybookConditions = z.strictObject({
  /** The alert's score is at least this (0–100). */
  minScore: z.number().min(0).max(100).optional(),
  /**
   * "Is this really the user?": the alert's least owner-like session is at least this unlike its
   * owner (0–1, from the agent's behavioural fingerprint); an alert with no session judged never matches.
   */
  minIdentityMismatch: z.number().min(0).max(1).optional(),
  minSeverity: PlaybookSeverity.optional(),
  /** Any of these rules fired (e.g. `ransomware-burst`). */
  ruleIds: list(RuleId, 32).optional(),
  /** Any reason of the alert came from one of these sources (the scenario: a rule, the baseline, the model). */
  reasonSources: list(z.enum(['rule', 'baseline', 'model', 'context']), 4).optional(),
  /** Any reason of the alert names one of these features. */
  features: list(FeatureName, 32).optional(),
  /** The workstation carries any of these tags. */
  tagsAnyOf: list(WorkstationTag, 16).optional(),
  /** The workstation carries none of these tags. */
  tagsNoneOf: list(WorkstationTag, 16).optional(),
  /** The workstation's unit is one of these. */
  units: list(WorkstationUnit, 32).optional(),
  /** Local time of day in the site's time zone, from inclusive to exclusive; may cross midnight (22:00–06:00). */
  timeOfDay: z
    .strictObject({ from: ClockTime, to: ClockTime })
    .refine((w) => w.from !== w.to, 'from and to must differ')
    .optional(),
  /** The user behind the alert has one of these clinical roles (kept by an admin per user token); a user with none never matches. */
  userRolesAnyOf: list(ClinicalRole, 5).optional(),
  /** What raised the alert: a score (`behaviour`), a silent agent (`agent_silent`) or one whose audit failed (`agent_blind`). */
  alertKinds: list(z.enum(['behaviour', 'agent_silent', 'agent_blind']), 3).optional(),
});
export type PlaybookConditions = z.infer<typeof PlaybookConditions>;

export const PlaybookAction = z
  .strictObject({
    kind: PlaybookActionKind,
    mode: PlaybookMode,
    /** How long a block or an account disable lasts (seconds, at most 7 days). */
    durationSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .optional(),
    /** Countdown shown to the user before a revoke or lock (default 60 s, 0 when the alert is critical). */
    warningSeconds: z.number().int().min(0).max(600).optional(),
    /** kill_process_tree: stop the processes writing in folders of this class. */
    folderClass: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/, 'a folder class: lower-case letters, digits, _ or -')
      .optional(),
  })
  // Safety rules that hold whatever a playbook says: an account is disabled only with
  // a person's approval, and `notify` is an audit row, never a command.
  .refine((a) => !(a.kind === 'disable_account' && a.mode === 'automatic'), {
    message: 'disable_account needs a person: use mode approve (or notify)',
    path: ['mode'],
  })
  .refine((a) => a.kind !== 'notify' || a.mode === 'notify', {
    message: 'a notify action has mode notify',
    path: ['mode'],
  });
export type PlaybookAction = z.infer<typeof PlaybookAction>;

export const PlaybookRule = z.strictObject({
  name: z.string().trim().min(1).max(120),
  when: PlaybookConditions,
  then: list(PlaybookAction, 8),
});
export type PlaybookRule = z.infer<typeof PlaybookRule>;

/** What an editor sends: POST /api/v1/playbooks creates, PUT /api/v1/playbooks/:id makes the next version. */
export const PlaybookDefinition = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(1_000).default(''),
  enabled: z.boolean(),
  rules: list(PlaybookRule, 32),
});
export type PlaybookDefinition = z.infer<typeof PlaybookDefinition>;
export type PlaybookDefinitionInput = z.input<typeof PlaybookDefinition>;

/** PUT body: the definition, and optionally the version it was edited from (a newer one answers 409). */
export const PlaybookUpdateRequest = PlaybookDefinition.extend({
  baseVersion: z.number().int().min(1).optional(),
});
export type PlaybookUpdateRequest = z.infer<typeof PlaybookUpdateRequest>;

export const PlaybookId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a playbook id');

export const PlaybookView = PlaybookDefinition.extend({
  id: z.string(),
  /** 1 at creation, +1 on every change; earlier versions are kept read-only. */
  version: z.number().int().min(1),
  createdAt: z.number().int(),
  createdBy: z.string(),
});
export type PlaybookView = z.infer<typeof PlaybookView>;

export const PlaybookList = z.object({ items: z.array(PlaybookView) });
export type PlaybookList = z.infer<typeof PlaybookList>;
