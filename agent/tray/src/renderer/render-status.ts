// Draws the agent's status into the page. Everything the agent (and so a
// workstation) supplied goes in through textContent only: a hostile file name
// or collector error is shown as the characters it is, never parsed as HTML.
import type { RecentEventsResult, StatusResult, TrayProblemCode } from '../common/ipc-channels';

const PROBLEM_WORDS: Record<TrayProblemCode, { title: string; hint: string }> = {
  'not-running': {
    title: 'The WardWatch agent is not running',
    hint: "Start the agent service, or start the tray with --agent-data-dir pointing at the agent's data folder. If the agent runs, its local API port may be held by another program: the agent's log says so, and it keeps trying.",
  },
  'token-unreadable': {
    title: "The agent's access token cannot be read",
    hint: 'The token is readable only by the local administrator. Start the tray as that account.',
  },
  unreachable: {
    title: 'The agent is unreachable',
    hint: "The agent's local API does not answer. Check that the agent service is running.",
  },
  unauthorized: {
    title: 'The agent refused the tray',
    hint: 'The agent may have just restarted with a new token; the tray retries on the next refresh.',
  },
  timeout: {
    title: 'The agent did not answer in time',
    hint: 'The agent may be busy or stuck; the tray retries on the next refresh.',
  },
  'bad-response': {
    title: 'The agent gave an answer the tray does not understand',
    hint: 'The agent and tray versions may not match.',
  },
  'http-error': { title: 'The agent answered with an error', hint: "See the agent's log for details." },
  refused: {
    title: 'The agent refused the request',
    hint: 'The message above says why; correct it and try again.',
  },
  'not-available': {
    title: 'Response actions are not available on this agent',
    hint: 'This agent version or configuration runs no response side.',
  },
};

function byId<T extends HTMLElement = HTMLElement>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

function text(doc: Document, id: string, value: string): void {
  byId(doc, id).textContent = value;
}

export function formatTime(ms: number | null): string {
  if (ms === null) return 'never';
  return new Date(ms).toLocaleString();
}

function cell(doc: Document, value: string, className?: string): HTMLTableCellElement {
  const td = doc.createElement('td');
  td.textContent = value;
  if (className) td.className = className;
  return td;
}

function row(doc: Document, cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = doc.createElement('tr');
  tr.append(...cells);
  return tr;
}

export function renderStatus(doc: Document, result: StatusResult): void {
  const badge = byId(doc, 'connection');
  const problem = byId(doc, 'problem');
  text(doc, 'fetched-at', formatTime(result.fetchedAt));
  if (!result.ok) {
    badge.className = 'badge badge-unknown';
    badge.textContent = 'Agent not reachable';
    const words = PROBLEM_WORDS[result.problem.code];
    problem.hidden = false;
    text(doc, 'problem-title', words.title);
    text(doc, 'problem-text', result.problem.message);
    text(doc, 'problem-hint', words.hint);
    // Keep the last values on screen (useful when the agent just stopped), but say how old they are.
    const receivedAt = byId(doc, 'overview').dataset.receivedAt;
    const stale = byId(doc, 'overview-stale');
    stale.hidden = false;
    stale.textContent = receivedAt
      ? `Last values received ${formatTime(Number(receivedAt))}.`
      : 'No values received from the agent yet.';
    return;
  }
  problem.hidden = true;
  byId(doc, 'overview-stale').hidden = true;
  byId(doc, 'overview').dataset.receivedAt = String(result.fetchedAt);
  const { status } = result;
  const connected = status.manager.connected;
  badge.className = `badge ${connected ? 'badge-connected' : 'badge-disconnected'}`;
  badge.textContent = connected ? 'Connected' : 'Not connected';
  text(doc, 'manager-address', status.manager.address);
  text(doc, 'manager-error', status.manager.lastError ?? '—');
  text(doc, 'agent-id', status.agentId ?? 'not enrolled');
  text(doc, 'last-event', formatTime(status.lastEventAt));
  for (const key of ['collected', 'sent', 'queued', 'dropped'] as const) {
    text(doc, `count-${key}`, status.counts[key].toLocaleString());
  }
  renderScoring(doc, status.scoring);
  renderReads(doc, status.reads);
  // Every component (collectors, local API, scoring) when the agent reports them; an older agent only its collectors.
  const components =
    status.components ??
    status.collectors.map((c) => ({ name: `collector.${c.name}`, state: c.state, message: c.error ?? '' }));
  const rows = components.map((component) =>
    row(doc, [
      cell(doc, component.name),
      cell(doc, component.state, `state-${component.state}`),
      cell(doc, component.message),
    ]),
  );
  if (rows.length === 0) rows.push(row(doc, [cell(doc, 'no components reported'), cell(doc, ''), cell(doc, '')]));
  const failed = components.filter((c) => c.state === 'failed').length;
  const summary = byId(doc, 'components-failed');
  summary.hidden = failed === 0;
  summary.textContent = failed === 1 ? '1 component failed' : `${failed} components failed`;
  byId(doc, 'collectors').replaceChildren(...rows);
}

type ScoringStatus = Extract<StatusResult, { ok: true }>['status']['scoring'];
type ReadsStatus = Extract<StatusResult, { ok: true }>['status']['reads'];

const count = (n: number) => n.toLocaleString();

/** What the reads collector saw; an agent without it (reads off, or an older one) reports none. */
function renderReads(doc: Document, reads: ReadsStatus): void {
  byId(doc, 'reads-off').hidden = reads !== undefined;
  byId(doc, 'reads').hidden = reads === undefined;
  if (!reads) return;
  text(doc, 'reads-reported', `${count(reads.reported)} of ${count(reads.seen)} seen`);
  text(
    doc,
    'reads-left-out',
    `${count(reads.repeated)} again within the window, ${count(reads.unattended)} by services, ${count(reads.ignoredExecutable)} by ignored programs`,
  );
  text(doc, 'reads-over-limit', count(reads.overLimit));
}

/** What local scoring did; an agent with scoring off (or an older one) reports none. */
function renderScoring(doc: Document, scoring: ScoringStatus): void {
  byId(doc, 'scoring-off').hidden = scoring !== undefined;
  byId(doc, 'scoring').hidden = scoring === undefined;
  if (!scoring) return;
  text(doc, 'scoring-state', scoring.state);
  text(doc, 'scoring-scored', count(scoring.scored));
  text(doc, 'scoring-alerts', count(scoring.alerts));
  text(doc, 'scoring-not-scored', count(scoring.notScored));
  text(doc, 'scoring-late', `${count(scoring.late.scored)} scored, ${count(scoring.late.notScored)} too old to score`);
  text(doc, 'scoring-verdicts', verdictsText(scoring));
}

/** "3 (2 false positive, 1 true positive; latest …)": what the analysts told the agent to learn or not. */
function verdictsText({ verdicts, verdictKinds: kinds }: NonNullable<ScoringStatus>): string {
  if (verdicts === undefined) return '—';
  if (!kinds || kinds.latestDecidedAt === null) return verdicts.toLocaleString();
  const parts = [
    [kinds.falsePositive, 'false positive'],
    [kinds.benign, 'benign'],
    [kinds.truePositive, 'true positive'],
  ] as const;
  const named = parts.filter(([n]) => n > 0).map(([n, kind]) => `${n.toLocaleString()} ${kind}`);
  return `${verdicts.toLocaleString()} (${named.join(', ')}; latest ${formatTime(kinds.latestDecidedAt)})`;
}

export function renderRecentEvents(doc: Document, result: RecentEventsResult): void {
  const note = byId(doc, 'events-problem');
  if (!result.ok) {
    // Keep the last list shown; say why it is not fresh.
    note.hidden = false;
    note.textContent = `Recent events not updated: ${result.problem.message}`;
    return;
  }
  note.hidden = true;
  const rows = result.items.map((event) =>
    row(doc, [
      cell(doc, formatTime(event.timeMs)),
      cell(doc, event.category),
      cell(doc, event.action),
      cell(doc, event.summary),
    ]),
  );
  if (rows.length === 0) rows.push(row(doc, [cell(doc, 'no events yet'), cell(doc, ''), cell(doc, ''), cell(doc, '')]));
  byId(doc, 'events').replaceChildren(...rows);
}
