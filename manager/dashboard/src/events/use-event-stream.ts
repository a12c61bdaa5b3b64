// Live events over Server-Sent Events (GET /api/v1/events/stream, `event: event`,
// data = one EventView). EventSource reconnects by itself after a dropped
// connection; after a refused one (e.g. 401, wrong content type) it gives up, so we
// reopen it with the shared backoff and let the caller check the session.
import { Backoff, EventView } from '@wardwatch/shared';
import { useEffect, useEffectEvent, useState } from 'react';

export type StreamState = 'connecting' | 'open' | 'closed';

export const STREAM_URL = '/api/v1/events/stream';

export interface StreamHandlers {
  onEvent: (event: EventView) => void;
  /** The connection was refused; the session may have ended. */
  onRefused: () => void;
}

export function useEventStream(handlers: StreamHandlers): { state: StreamState; rejected: number } {
  const [state, setState] = useState<StreamState>('connecting');
  const [rejected, setRejected] = useState(0);
  // Effect events: they see the latest handlers without reopening the stream when those change.
  const onEvent = useEffectEvent((event: EventView) => handlers.onEvent(event));
  const onRefused = useEffectEvent(() => handlers.onRefused());

  useEffect(() => {
    const backoff = new Backoff({ baseMs: 1000, maxMs: 30_000 });
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const open = () => {
      setState('connecting');
      source = new EventSource(STREAM_URL);
      source.onopen = () => {
        backoff.reset();
        setState('open');
      };
      source.onerror = () => {
        if (stopped || !source) return;
        if (source.readyState === EventSource.CLOSED) {
          setState('closed');
          source.close();
          onRefused();
          retry = setTimeout(open, Math.max(1000, backoff.next()));
        } else {
          setState('connecting');
        }
      };
      source.addEventListener('event', (message: MessageEvent<unknown>) => {
        const parsed = typeof message.data === 'string' ? safeJson(message.data) : undefined;
        const event = EventView.safeParse(parsed);
        // A message that breaks the contract is counted and shown, never rendered.
        if (event.success) onEvent(event.data);
        else setRejected((count) => count + 1);
      });
    };

    open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, []);

  return { state, rejected };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
