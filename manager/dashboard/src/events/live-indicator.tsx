import type { StreamState } from './use-event-stream';

export type LiveState = 'live' | 'paused' | 'connecting' | 'disconnected';

export function liveState(stream: StreamState, paused: boolean): LiveState {
  if (stream === 'closed') return 'disconnected';
  if (stream === 'connecting') return 'connecting';
  return paused ? 'paused' : 'live';
}

const labels: Record<LiveState, string> = {
  live: 'Live',
  paused: 'Paused',
  connecting: 'Reconnecting…',
  disconnected: 'Disconnected',
};

export function LiveIndicator({ state, pending }: { state: LiveState; pending: number }) {
  return (
    <span className={`live live-${state}`} data-testid="live-indicator" data-state={state} role="status">
      <span className="dot" aria-hidden="true" />
      {labels[state]}
      {state === 'paused' && pending > 0 ? ` (${pending} new)` : ''}
    </span>
  );
}
