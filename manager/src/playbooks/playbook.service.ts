// Playbooks as versioned data: create, change (each change is the next version, earlier
// ones kept read-only), list, read versions, and the defaults seeded on the first start.
// Every change is written with its audit row (`playbook.create` / `playbook.update`,
// with the version and what changed) in one transaction.
import { Injectable } from '@nestjs/common';
import { PlaybookDefinition, type PlaybookUpdateRequest, type PlaybookView } from '@wardwatch/shared';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { DEFAULT_PLAYBOOKS } from './default-playbooks';
import type { PlaybookVersionEntity } from './playbook-version.entity';
import { PlaybookError } from './playbook.errors';
import { PlaybookRepository } from './playbook.repository';

/** Bounds: a site has tens of playbooks, not thousands; the versions page shows the latest ones. */
export const MAX_PLAYBOOKS = 200;
export const MAX_VERSIONS_LISTED = 100;

@Injectable()
export class PlaybookService {
  constructor(
    private readonly repo: PlaybookRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async list(): Promise<PlaybookView[]> {
    return (await this.repo.latestAll(MAX_PLAYBOOKS)).map(toPlaybookView);
  }

  /** Enabled playbooks, current versions: what evaluation reads for each alert. */
  async enabled(): Promise<PlaybookView[]> {
    return (await this.list()).filter((p) => p.enabled);
  }

  async get(id: string): Promise<PlaybookView> {
    const row = await this.repo.latest(id);
    if (!row) throw new PlaybookError('not_found', 'no such playbook');
    return toPlaybookView(row);
  }

  async versions(id: string): Promise<PlaybookView[]> {
    const rows = await this.repo.versions(id, MAX_VERSIONS_LISTED);
    if (rows.length === 0) throw new PlaybookError('not_found', 'no such playbook');
    return rows.map(toPlaybookView);
  }

  async create(definition: PlaybookDefinition, actor: string, id = this.random.uuid()): Promise<PlaybookView> {
    const row = await this.transactions.run(async (tx) => {
      if ((await this.repo.latestAll(MAX_PLAYBOOKS, tx)).length >= MAX_PLAYBOOKS)
        throw new PlaybookError('too_many', `at most ${MAX_PLAYBOOKS} playbooks`);
      return this.insertVersion(tx, id, 1, definition, actor, 'playbook.create', { version: 1 });
    });
    return toPlaybookView(row);
  }

  /** The next version of a playbook; refused (409) when `baseVersion` is given and a newer version exists. */
  async update(id: string, request: PlaybookUpdateRequest, actor: string): Promise<PlaybookView> {
    const { baseVersion, ...definition } = request;
    const row = await this.transactions.run(async (tx) => {
      const current = await this.repo.latest(id, tx);
      if (!current) throw new PlaybookError('not_found', 'no such playbook');
      if (baseVersion !== undefined && baseVersion !== current.version)
        throw new PlaybookError(
          'version_conflict',
          `version ${current.version} was saved since version ${baseVersion}: reload and edit again`,
        );
      const version = current.version + 1;
      return this.insertVersion(tx, id, version, definition, actor, 'playbook.update', {
        version,
        previousVersion: current.version,
        changes: diffDefinitions(current.definition, definition),
      });
    });
    return toPlaybookView(row);
  }

  /** On the first start (no playbook at all), the default playbooks, audited as created by `system`. */
  async seedDefaults(): Promise<number> {
    return this.transactions.run(async (tx) => {
      if ((await this.repo.count(tx)) > 0) return 0;
      for (const seed of DEFAULT_PLAYBOOKS) {
        const definition = PlaybookDefinition.parse(seed.definition);
        await this.insertVersion(tx, seed.id, 1, definition, 'system', 'playbook.create', {
          version: 1,
          default: true,
        });
      }
      return DEFAULT_PLAYBOOKS.length;
    });
  }

  private async insertVersion(
    tx: Tx,
    id: string,
    version: number,
    definition: PlaybookDefinition,
    actor: string,
    action: 'playbook.create' | 'playbook.update',
    details: Record<string, unknown>,
  ): Promise<PlaybookVersionEntity> {
    const row: PlaybookVersionEntity = {
      playbookId: id,
      version,
      name: definition.name,
      enabled: definition.enabled,
      definition,
      createdAt: this.clock.now(),
      createdBy: actor.slice(0, 128),
    };
    await this.repo.insert(row, tx);
    await this.audit.append({ actor, action, target: id, details: { name: definition.name, ...details } }, tx);
    return row;
  }
}

/** The top-level fields that changed, with their values before and after (bounded by the schema's own bounds). */
export function diffDefinitions(
  before: PlaybookDefinition,
  after: PlaybookDefinition,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of ['name', 'description', 'enabled', 'rules'] as const) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { before: before[key], after: after[key] };
  }
  return changes;
}

export function toPlaybookView(row: PlaybookVersionEntity): PlaybookView {
  return {
    ...row.definition,
    name: row.name,
    enabled: row.enabled,
    id: row.playbookId,
    version: row.version,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}
