import type { AgentPage, EventActionFacets, EventView } from '@wardwatch/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { inBackground } from '../api/background-requests';
import { errorMessage, type ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { useNow, usePolling } from '../common/use-polling';
import { emptyFilter, matchesFilter, type EventFilter } from './event-filter';
import { EventFilters } from './event-filters';
import { appendOlder, LIVE_LIST_BOUND, mergeLive } from './event-list';
import { EVENT_COLUMNS, EventRow } from './event-row';
import { LiveIndicator, liveState } from './live-indicator';
import { useEventStream } from './use-event-stream';
import { EmptyRow } from '../common/empty-row';
import { ColumnHeads } from '../common/column-heads';

const PAGE_SIZE = 100;
/** Live events are applied in small batches so a burst does not re-render per event. */
const FLUSH_MS = 250;

export function EventsPage({ api }: { api: ApiClient }) {
  const [filter, setFilter] = useState<EventFilter>(emptyFilter);
  const [events, setEvents] = useState<EventView[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [trimmed, setTrimmed] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [paused, setPaused] = useState(false);
  const [pending, setPending] = useState<EventView[]>([]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();

  const loadAgents = useCallback(() => api.agents(), [api]);
  const agents = usePolling<AgentPage>(loadAgents, 30_000).data?.items ?? [];
  const loadActions = useCallback(() => api.eventActions(), [api]);
  const actions = usePolling<EventActionFacets>(loadActions, 60_000).data?.items ?? [];

  const incoming = useRef<EventView[]>([]);
  const generation = useRef(0);

  // A new filter empties the list at once; the effect below then loads its first page.
  const applyFilter = (next: EventFilter) => {
    if (next === filter) return;
    setFilter(next);
    setLoading(true);
    setError(undefined);
    setEvents([]);
    setPending([]);
    // Live events not yet shown were matched against the old filter; the new first page
    // (stored before it is read) holds those that match the new one.
    incoming.current = [];
    setTrimmed(false);
    setCursor(undefined);
  };

  // First page whenever the filter changes; live events that arrived meanwhile stay.
  useEffect(() => {
    const mine = ++generation.current;
    api
      .events(filter, { limit: PAGE_SIZE })
      .then((page) => {
        if (mine !== generation.current) return;
        setEvents((live) => mergeLive(page.items, live).events);
        setCursor(page.nextCursor);
      })
      .catch((caught: unknown) => {
        if (mine === generation.current) setError(errorMessage(caught));
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, [api, filter]);

  const stream = useEventStream({
    onEvent: (event) => {
      if (matchesFilter(event, filter)) incoming.current.push(event);
    },
    // A refused stream may mean the session ended: /auth/me sends us to sign-in on 401.
    onRefused: () => void inBackground(() => api.me()).catch(() => undefined),
  });

  useEffect(() => {
    const timer = setInterval(() => {
      if (incoming.current.length === 0) return;
      const batch = incoming.current;
      incoming.current = [];
      if (paused) {
        setPending((held) => mergeLive(held, batch).events);
        return;
      }
      setEvents((current) => {
        const merged = mergeLive(current, batch);
        if (merged.dropped > 0) setTrimmed(true);
        return merged.events;
      });
    }, FLUSH_MS);
    return () => clearInterval(timer);
  }, [paused]);

  const resume = () => {
    setPaused(false);
    setEvents((current) => {
      const merged = mergeLive(current, pending);
      if (merged.dropped > 0) setTrimmed(true);
      return merged.events;
    });
    setPending([]);
  };

  const loadOlder = () => {
    if (!cursor) return;
    const mine = generation.current;
    setLoading(true);
    api
      .events(filter, { limit: PAGE_SIZE, cursor })
      .then((page) => {
        if (mine !== generation.current) return;
        setEvents((current) => appendOlder(current, page.items));
        setCursor(page.nextCursor);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setLoading(false));
  };

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section aria-labelledby="events-title">
      <div className="page-head">
        <h1 id="events-title">Events</h1>
        <div className="head-tools">
          <LiveIndicator state={liveState(stream.state, paused)} pending={pending.length} />
          {paused ? (
            <button type="button" onClick={resume}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={() => setPaused(true)}>
              Pause
            </button>
          )}
        </div>
      </div>
      <EventFilters
        key={`${JSON.stringify(filter)}:${agents.length}`}
        filter={filter}
        agents={agents}
        actions={actions}
        onApply={applyFilter}
      />
      <ErrorBanner message={error} />
      {stream.rejected > 0 ? (
        <p className="error" role="alert">
          {stream.rejected} live message(s) did not match the API contract and were not shown.
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="events">
          <ColumnHeads columns={EVENT_COLUMNS} />
          <tbody>
            {events.map((event) => (
              <EventRow
                key={event.id}
                event={event}
                now={now}
                expanded={expanded.has(event.id)}
                onToggle={() => toggle(event.id)}
              />
            ))}
            <EmptyRow show={!loading && events.length === 0} columns={EVENT_COLUMNS}>
              No events match these filters yet.
            </EmptyRow>
          </tbody>
        </table>
      </div>
      <div className="list-foot">
        {trimmed ? (
          <p className="muted">
            The list keeps the newest {LIVE_LIST_BOUND} live rows; older rows left it. Apply the filters again to page
            back.
          </p>
        ) : cursor ? (
          <button type="button" onClick={loadOlder} disabled={loading}>
            {loading ? 'Loading…' : 'Load older'}
          </button>
        ) : events.length > 0 && !loading ? (
          <p className="muted">No older events.</p>
        ) : null}
      </div>
    </section>
  );
}
