import type { EventView } from '@wardwatch/shared';
import { TimeCell } from '../common/time-cell';
import { detailEntries } from './detail-entries';
import { eventSummary } from './event-summary';
import { formatAbsolute } from '../common/format';
import { shownColumns, type Columns } from '../common/column-heads';

/** The events table's columns: the first holds the button that opens a row's details. */
export const EVENT_COLUMNS: Columns = [
  { label: 'Details', hidden: true },
  'Time',
  'Host',
  'Category',
  'Action',
  'What happened',
  'Severity',
];

/** One event, with its detail fields as a key/value list when expanded. Everything is text. */
export function EventRow({
  event,
  now,
  expanded,
  onToggle,
}: {
  event: EventView;
  now: number;
  expanded: boolean;
  onToggle: () => void;
}) {
  const detailId = `detail-${event.id}`;
  return (
    <>
      <tr data-testid="event-row" data-event-id={event.id} className={expanded ? 'expanded' : undefined}>
        <td>
          <button type="button" className="icon" aria-expanded={expanded} aria-controls={detailId} onClick={onToggle}>
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
            <span className="visually-hidden">{expanded ? 'Hide details' : 'Show details'}</span>
          </button>
        </td>
        <td>
          <TimeCell ms={event.timeMs} now={now} />
        </td>
        <td className="strong">{event.hostname}</td>
        <td>{event.category}</td>
        <td className="mono">{event.action}</td>
        <td className="summary" data-testid="event-summary">
          {eventSummary(event)}
        </td>
        <td>
          <span className={`badge sev-${event.severity}`}>{event.severity}</span>
        </td>
      </tr>
      {expanded ? (
        <tr className="detail-row" id={detailId}>
          <td />
          <td colSpan={shownColumns(EVENT_COLUMNS) - 1}>
            <dl className="kv">
              {[
                ['event id', event.id] as const,
                ['user', event.user] as const,
                ['agent id', event.agentId] as const,
                ['received', formatAbsolute(event.receivedMs)] as const,
                ...detailEntries(event.detail),
              ].map(([key, value], index) => (
                <div key={`${index}:${key}`} className="kv-pair">
                  <dt>{key}</dt>
                  <dd className="mono">{value}</dd>
                </div>
              ))}
            </dl>
          </td>
        </tr>
      ) : null}
    </>
  );
}
