// The events behind an alert and the alerts related to it, as tables of text.
import type { AlertDetail, RelatedAlertView } from '@wardwatch/shared';
import { EmptyRow } from '../common/empty-row';
import { TimeCell } from '../common/time-cell';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { detailEntries } from '../events/detail-entries';
import { hashForAlert } from '../navigation/route';
import { relationText, statusText } from './alert-display';

/** A one-line summary of an event's detail: its non-empty fields but the action, "key value · …". */
export function detailSummary(detail: Readonly<Record<string, unknown>>, maxLength = 240): string {
  const text = detailEntries(detail)
    .filter(([key, value]) => key !== 'action' && value !== '(empty)')
    .map(([key, value]) => `${key} ${value}`)
    .join(' · ');
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

const evidenceTitle: Record<AlertDetail['evidence']['source'], string> = {
  linked: 'Evidence: the events behind this alert',
  window: "Evidence: the user's events in the alert's window",
  none: 'Evidence',
};

const EVIDENCE_COLUMNS: Columns = ['Time', 'Event', 'User', 'Detail'];

export function EvidenceEvents({ evidence, now }: { evidence: AlertDetail['evidence']; now: number }) {
  return (
    <>
      <h2>{evidenceTitle[evidence.source]}</h2>
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={EVIDENCE_COLUMNS} />
          <tbody>
            {evidence.events.map((event) => (
              <tr key={`${event.agentId}/${event.id}`} data-testid="evidence-event">
                <td>
                  <TimeCell ms={event.timeMs} now={now} />
                </td>
                <td className="mono">
                  {event.category} {event.action}
                </td>
                <td className="mono">{event.user}</td>
                <td>{detailSummary(event.detail)}</td>
              </tr>
            ))}
            <EmptyRow show={evidence.events.length === 0} columns={EVIDENCE_COLUMNS}>
              {evidence.source === 'none'
                ? 'This alert has no events behind it.'
                : 'No stored events (retention may have removed them).'}
            </EmptyRow>
          </tbody>
        </table>
      </div>
      {evidence.truncated ? <p className="muted">More events exist; the Events page lists them all.</p> : null}
    </>
  );
}

const RELATED_COLUMNS: Columns = ['Raised', 'Title', 'Score', 'Status', 'Why related'];

export function RelatedAlerts({ related, now }: { related: RelatedAlertView[]; now: number }) {
  return (
    <>
      <h2>Related alerts</h2>
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={RELATED_COLUMNS} />
          <tbody>
            {related.map((r) => (
              <tr key={r.id} data-testid="related-alert">
                <td>
                  <TimeCell ms={r.createdAt} now={now} />
                </td>
                <td>
                  <a href={hashForAlert(r.id)}>{r.title}</a>
                </td>
                <td className="num">{r.score.toFixed(0)}</td>
                <td>{statusText(r)}</td>
                <td>{relationText(r.relations)}</td>
              </tr>
            ))}
            <EmptyRow show={related.length === 0} columns={RELATED_COLUMNS}>
              No related alerts within a week.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </>
  );
}
