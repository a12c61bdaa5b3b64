// The audit viewer (`audit:read`): the trail's verification status with its last
// signed checkpoint (Verify now, Checkpoint now), filters by actor, action and time,
// the rows newest first in pages, and an export of the filtered view (CSV or
// NDJSON) that the manager audits. Every value is rendered as React text only.
import type { AuditStatus } from '@wardwatch/shared';
import { useCallback, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { useCursorPages } from '../common/cursor-pages';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { Pager } from '../common/pager';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { auditExportHref, EMPTY_AUDIT_FILTER, type AuditFilterForm } from './audit-filter';
import './audit.css';

export const AUDIT_PAGE_SIZE = 50;
const STATUS_REFRESH_MS = 10_000;

export function AuditPage({ api }: { api: ApiClient }) {
  const [filter, setFilter] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  const filterKey = JSON.stringify(filter);
  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit trail</h1>
      </div>
      <VerificationPanel api={api} />
      <AuditFilters key={`form:${filterKey}`} filter={filter} onApply={setFilter} />
      <p className="audit-export">
        Export this view:{' '}
        <a href={auditExportHref(filter, 'csv')} download data-testid="audit-export-csv">
          CSV
        </a>{' '}
        ·{' '}
        <a href={auditExportHref(filter, 'ndjson')} download data-testid="audit-export-ndjson">
          NDJSON
        </a>
      </p>
      {/* Keyed by the filter: a new filter starts again at its first page. */}
      <FilteredRows key={`rows:${filterKey}`} api={api} filter={filter} />
    </section>
  );
}

function VerificationPanel({ api }: { api: ApiClient }) {
  const loadStatus = useCallback(() => api.auditStatus(), [api]);
  const polled = usePolling<AuditStatus>(loadStatus, STATUS_REFRESH_MS);
  const [fresh, setFresh] = useState<AuditStatus>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const now = useNow();
  // The newer of the polled status and the answer of a button.
  const status =
    fresh && (polled.data?.lastVerifiedAt ?? 0) <= (fresh.lastVerifiedAt ?? 0) ? fresh : (polled.data ?? fresh);

  const act = (call: () => Promise<AuditStatus>) => {
    setBusy(true);
    setProblem(undefined);
    call()
      .then(setFresh)
      .catch((caught: unknown) => setProblem(errorMessage(caught)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="audit-status" data-testid="audit-status">
      <ErrorBanner message={polled.error ?? problem} />
      {status ? (
        <dl className="kv">
          <dt>Verification</dt>
          <dd>
            <span className={`badge audit-result-${status.result}`} data-testid="audit-result">
              {resultText(status.result)}
            </span>{' '}
            <span className="muted">
              {status.lastVerifiedAt === null ? (
                'not yet since start'
              ) : (
                <TimeCell ms={status.lastVerifiedAt} now={now} />
              )}
              {` · ${status.rows} rows · keyed from row ${status.keyedFromSeq}`}
            </span>
          </dd>
          {status.result === 'failed' ? (
            <>
              <dt>First bad row</dt>
              <dd data-testid="audit-first-bad">{status.firstBadSeq ?? 'the checkpoint file'}</dd>
              <dt>Why</dt>
              <dd data-testid="audit-reason">{status.reason}</dd>
            </>
          ) : null}
          <dt>Last checkpoint</dt>
          <dd data-testid="audit-checkpoint">
            {status.lastCheckpoint ? (
              <>
                row {status.lastCheckpoint.lastSeq} · <TimeCell ms={status.lastCheckpoint.timeMs} now={now} />
                {status.lastCheckpoint.syslog ? ` · syslog ${status.lastCheckpoint.syslog}` : ''}
              </>
            ) : (
              'none yet'
            )}
          </dd>
        </dl>
      ) : (
        <p className="muted">Loading…</p>
      )}
      <div className="audit-status-actions">
        <button type="button" disabled={busy} onClick={() => act(api.verifyAudit)} data-testid="audit-verify">
          Verify now
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => act(api.checkpointAudit)}
          data-testid="audit-checkpoint-now"
        >
          Checkpoint now
        </button>
      </div>
    </div>
  );
}

function resultText(result: AuditStatus['result']): string {
  if (result === 'ok') return 'Intact';
  if (result === 'failed') return 'ALTERED';
  return 'Not verified yet';
}

function AuditFilters({ filter, onApply }: { filter: AuditFilterForm; onApply: (filter: AuditFilterForm) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    onApply({ actor: text('actor'), action: text('action'), from: text('from'), to: text('to') });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Audit filters">
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" name="actor" defaultValue={filter.actor} maxLength={128} placeholder="e.g. admin" />
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <input
          id="audit-action"
          name="action"
          defaultValue={filter.action}
          maxLength={64}
          placeholder="e.g. user.create"
        />
      </div>
      <div className="field">
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" name="from" type="datetime-local" defaultValue={filter.from} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" name="to" type="datetime-local" defaultValue={filter.to} />
      </div>
      <div className="field actions">
        <button type="submit" data-testid="audit-apply">
          Apply
        </button>
        <button type="button" onClick={() => onApply(EMPTY_AUDIT_FILTER)}>
          Clear
        </button>
      </div>
    </form>
  );
}

function FilteredRows({ api, filter }: { api: ApiClient; filter: AuditFilterForm }) {
  const pages = useCursorPages();
  return <RowsPage key={pages.cursor ?? ''} api={api} filter={filter} pages={pages} />;
}

const AUDIT_COLUMNS: Columns = ['#', 'Time', 'Actor', 'Action', 'Target', 'Details'];

function RowsPage(props: { api: ApiClient; filter: AuditFilterForm; pages: ReturnType<typeof useCursorPages> }) {
  const { api, filter, pages } = props;
  const { cursor } = pages;
  const load = useCallback(
    () => api.auditRows(filter, { limit: AUDIT_PAGE_SIZE, beforeSeq: cursor }),
    [api, filter, cursor],
  );
  const rows = usePolling(load, 30_000);
  const now = useNow();
  const items = rows.data?.items ?? [];
  const next = rows.data?.nextBeforeSeq;
  return (
    <>
      <ErrorBanner message={rows.error} />
      <table className="audit-table" data-testid="audit-table">
        <ColumnHeads columns={AUDIT_COLUMNS} />
        <tbody>
          {items.map((row) => (
            <tr key={row.seq} data-testid="audit-row">
              <td>{row.seq}</td>
              <td>
                <TimeCell ms={row.timeMs} now={now} />
              </td>
              <td data-testid="audit-row-actor">{row.actor}</td>
              <td data-testid="audit-row-action">{row.action}</td>
              <td className="audit-target">{row.target}</td>
              <td className="audit-details">{JSON.stringify(row.details)}</td>
            </tr>
          ))}
          <EmptyRow show={rows.data !== undefined && items.length === 0} columns={AUDIT_COLUMNS}>
            No audit rows match.
          </EmptyRow>
        </tbody>
      </table>
      <Pager
        pages={pages}
        nextCursor={next === undefined ? undefined : String(next)}
        label="Audit pages"
        testId="audit-pager"
      />
    </>
  );
}
