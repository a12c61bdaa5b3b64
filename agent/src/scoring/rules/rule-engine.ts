// Runs compiled rules over portable events in time order. A rule without a
// threshold hits on every matching event; a threshold rule keeps, per group,
// the matching events inside its timeframe and hits when their count (or count
// of distinct values) reaches the limit. While the burst goes on (matches keep
// coming within the timeframe) it hits again only for accounts not yet named,
// so one burst gives one hit per user involved.
// File events carry one derived field beside their own: `suspicion`, from the
// file's lineage (file-lineage.ts), so a rule can tell a document replaced by
// encrypted content from an ordinary encrypted-looking file.
import type { PortableEvent } from '@wardwatch/shared/agent';
import { FileLineage } from '../../file-lineage/file-lineage';
import { asText, compileCondition, compileSelection, type EventPredicate, fieldValue } from './rule-condition';
import { durationMs, type RuleFile, type RuleSeverity } from './rule.schema';

export interface RuleHit {
  ruleId: string;
  title: string;
  severity: RuleSeverity;
  time: number;
  host: string;
  /** Users whose events made up the hit (for a spray: every targeted account). */
  users: string[];
  count: number;
  reason: string;
  /** Event values filled into the reason, by slot name (so they can be pseudonymised before it leaves). */
  fields: Record<string, string>;
}

interface CompiledRule {
  file: RuleFile;
  matches: EventPredicate;
  withinMs: number;
}

interface Entry {
  time: number;
  user: string;
  value: string;
}

const MAX_GROUPS = 50_000;

export class RuleEngine {
  private readonly rules: CompiledRule[];
  private readonly groups = new Map<string, Entry[]>();
  /** Groups that have fired, while matching events keep coming within the timeframe. */
  private readonly bursts = new Map<string, { lastAt: number; users: Set<string>; count: number }>();
  private readonly lineage = new FileLineage();
  hits = 0;

  constructor(files: readonly RuleFile[]) {
    this.rules = files.map((file) => {
      const { condition, threshold, ...selections } = file.detection;
      const compiled: Record<string, EventPredicate> = {};
      for (const [name, selection] of Object.entries(selections)) compiled[name] = compileSelection(selection);
      return {
        file,
        matches: compileCondition(condition, compiled),
        withinMs: threshold ? durationMs(threshold.within) : 0,
      };
    });
  }

  get ruleIds(): string[] {
    return this.rules.map((r) => r.file.id);
  }

  observe(original: PortableEvent): RuleHit[] {
    let hits: RuleHit[] | undefined;
    const suspicion = this.lineage.observe(original);
    // Copied only when there is something to add: most events go through as they are.
    const event = suspicion ? ({ ...original, suspicion } as unknown as PortableEvent) : original;
    for (const rule of this.rules) {
      if (!rule.matches(event)) continue;
      const hit = rule.file.detection.threshold ? this.count(rule, event) : this.single(rule, event);
      if (hit) (hits ??= []).push(hit);
    }
    if (hits) this.hits += hits.length;
    return hits ?? [];
  }

  private single(rule: CompiledRule, event: PortableEvent): RuleHit {
    return this.hit(rule, event, [event.user], 1, '');
  }

  private count(rule: CompiledRule, event: PortableEvent): RuleHit | null {
    const threshold = rule.file.detection.threshold!;
    const keyParts: string[] = [rule.file.id];
    for (const field of threshold.groupBy) {
      const value = asText(fieldValue(event, field));
      if (value === '') return null;
      keyParts.push(value);
    }
    const key = keyParts.join('\u0000');
    let entries = this.groups.get(key);
    if (!entries) {
      if (this.groups.size >= MAX_GROUPS) this.evictOld(event.time);
      entries = [];
      this.groups.set(key, entries);
    }
    let drop = 0;
    while (drop < entries.length && event.time - entries[drop].time > rule.withinMs) drop++;
    if (drop > 0) entries.splice(0, drop);
    const value = threshold.distinct ? asText(fieldValue(event, threshold.distinct)) : '';
    entries.push({ time: event.time, user: event.user, value });
    const counted = threshold.distinct ? new Set(entries.map((e) => e.value)).size : entries.length;
    const burst = this.bursts.get(key);
    if (burst && event.time - burst.lastAt <= rule.withinMs) {
      // The burst goes on: report only accounts it has newly reached (a spray's later victims).
      burst.lastAt = event.time;
      entries.length = 0;
      if (burst.users.has(event.user)) return null;
      burst.users.add(event.user);
      return this.hit(rule, event, [event.user], burst.count + 1, keyParts.slice(1).join(', '));
    }
    if (counted < threshold.count) return null;
    const users = [...new Set(entries.map((e) => e.user))];
    this.groups.delete(key);
    this.bursts.set(key, { lastAt: event.time, users: new Set(users), count: counted });
    return this.hit(rule, event, users, counted, keyParts.slice(1).join(', '));
  }

  private hit(rule: CompiledRule, event: PortableEvent, users: string[], count: number, group: string): RuleHit {
    const threshold = rule.file.detection.threshold;
    const fields: Record<string, string> = {};
    const reason = rule.file.reason.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'count') return String(count);
      if (name === 'within') return threshold?.within ?? '';
      if (name === 'group') {
        threshold?.groupBy.forEach((field) => (fields[field] = asText(fieldValue(event, field))));
        return group;
      }
      const text = asText(fieldValue(event, name)).slice(0, 120);
      fields[name] = text;
      return text;
    });
    return {
      ruleId: rule.file.id,
      title: rule.file.title,
      severity: rule.file.severity,
      time: event.time,
      host: event.host,
      users,
      count,
      reason,
      fields,
    };
  }

  private evictOld(now: number): void {
    for (const [key, entries] of this.groups) {
      const last = entries[entries.length - 1];
      if (!last || now - last.time > 86_400_000) this.groups.delete(key);
    }
    for (const [key, burst] of this.bursts) if (now - burst.lastAt > 86_400_000) this.bursts.delete(key);
  }
}
