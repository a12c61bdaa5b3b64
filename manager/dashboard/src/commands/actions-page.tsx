import { hasPermission, type AgentPage, type CommandPage, type CurrentUser } from '@wardwatch/shared';
import { useCallback, useState, type FormEvent } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { actionText, decidedBy, restoreAction, resultText, stateText, stateTone } from './command-display';

export const ACTIONS_REFRESH_MS = 5_000;

type IssuableKind = 'lockScreen' | 'collectDiagnostics' | 'blockRemovable' | 'restoreFiles';

// Every string here came from a workstation or an agent's result: React text only.
export function ActionsPage({ api, user }: { api: ApiClient; user: CurrentUser }) {
  const loadCommands = useCallback(() => api.commands(), [api]);
  const loadAgents = useCallback(() => api.agents(), [api]);
  const commands = usePolling<CommandPage>(loadCommands, ACTIONS_REFRESH_MS);
  const agents = usePolling<AgentPage>(loadAgents, 30_000);
  const now = useNow();
  const mayAct = hasPermission(user.role, 'response:manage');
  const [confirming, setConfirming] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const hostnames = new Map((agents.data?.items ?? []).map((agent) => [agent.id, agent.hostname]));
  const items = commands.data?.items ?? [];

  const undo = (id: string) => {
    setConfirming(undefined);
    setProblem(undefined);
    api
      .undoCommand(id)
      .then((issued) => {
        setNotice(`Undo ${issued.state === 'sent' ? 'sent to' : 'queued for'} the agent.`);
        commands.refresh();
      })
      .catch((caught: unknown) => setProblem(errorMessage(caught)));
  };

  const columns: Columns = ['Issued', 'Agent', 'Action', 'State', 'Reason', 'Decided by', 'Result', mayAct && 'Undo'];
  return (
    <section aria-labelledby="actions-title">
      <div className="page-head">
        <h1 id="actions-title">Actions</h1>
        <p className="muted">{commands.data ? `${items.length} shown` : commands.loading ? 'Loading…' : ''}</p>
      </div>
      <ErrorBanner message={commands.error ?? problem} />
      {notice ? (
        <p className="notice" role="status" data-testid="actions-notice">
          {notice}
        </p>
      ) : null}
      {mayAct ? (
        <IssueForm
          api={api}
          agents={agents.data?.items ?? []}
          onIssued={(text) => {
            setNotice(text);
            commands.refresh();
          }}
        />
      ) : null}
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={columns} />
          <tbody>
            {items.map((command) => (
              <tr key={command.id} data-testid="command-row" data-command-id={command.id}>
                <td>
                  <TimeCell ms={command.issuedAt} now={now} />
                </td>
                <td data-testid="command-agent">
                  {hostnames.get(command.agentId) ?? <span className="mono muted">{command.agentId}</span>}
                </td>
                <td data-testid="command-action">{actionText(command)}</td>
                <td>
                  <span className={`badge command-${stateTone(command.state)}`} data-testid="command-state">
                    {stateText(command.state)}
                  </span>
                </td>
                <td>{command.reason}</td>
                <td data-testid="command-decided">{decidedBy(command)}</td>
                <td className="component-message" data-testid="command-result">
                  {resultText(command)}
                </td>
                {mayAct ? (
                  <td>
                    {command.undoable && confirming !== command.id ? (
                      <button type="button" data-testid="command-undo" onClick={() => setConfirming(command.id)}>
                        Undo
                      </button>
                    ) : null}
                    {confirming === command.id ? (
                      <span className="confirm">
                        <button type="button" data-testid="command-undo-confirm" onClick={() => undo(command.id)}>
                          Confirm undo
                        </button>{' '}
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          Cancel
                        </button>
                      </span>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
            <EmptyRow show={Boolean(commands.data) && items.length === 0} columns={columns}>
              No actions yet.
            </EmptyRow>
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A small form: one action to one agent, with a reason the workstation's user will read. */
function IssueForm({
  api,
  agents,
  onIssued,
}: {
  api: ApiClient;
  agents: AgentPage['items'];
  onIssued: (notice: string) => void;
}) {
  const [agentId, setAgentId] = useState('');
  const [kind, setKind] = useState<IssuableKind>('lockScreen');
  const [reason, setReason] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [since, setSince] = useState('');
  const [extensions, setExtensions] = useState('.locked');
  const [problem, setProblem] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    let action: Parameters<ApiClient['issueCommand']>[0]['action'];
    if (kind === 'restoreFiles') {
      const restore = restoreAction(since, extensions);
      if (typeof restore === 'string') return setProblem(restore);
      action = restore;
    } else if (kind === 'blockRemovable') action = { kind, durationSeconds: 3_600 };
    else action = kind === 'lockScreen' ? { kind } : { kind };
    api
      .issueCommand({ agentId, action, reason, dryRun })
      .then((issued) => onIssued(`Command ${issued.state === 'sent' ? 'sent to' : 'queued for'} the agent.`))
      .catch((caught: unknown) => setProblem(errorMessage(caught)));
  };

  return (
    <form className="inline-form" onSubmit={submit} data-testid="issue-form">
      <label>
        Agent{' '}
        <select value={agentId} onChange={(e) => setAgentId(e.target.value)} data-testid="issue-agent" required>
          <option value="">choose…</option>
          {agents
            .filter((a) => a.status !== 'revoked')
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.hostname}
              </option>
            ))}
        </select>
      </label>{' '}
      <label>
        Action{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as IssuableKind)} data-testid="issue-kind">
          <option value="lockScreen">Lock screen</option>
          <option value="blockRemovable">Block removable media (1 h)</option>
          <option value="collectDiagnostics">Collect diagnostics</option>
          <option value="restoreFiles">Restore damaged files (phi)</option>
        </select>
      </label>{' '}
      {kind === 'restoreFiles' ? (
        <>
          <label>
            Changed since (UTC){' '}
            <input
              type="datetime-local"
              value={since}
              onChange={(e) => setSince(e.target.value)}
              data-testid="issue-restore-since"
              required
            />
          </label>{' '}
          <label>
            Remove new files ending{' '}
            <input
              value={extensions}
              onChange={(e) => setExtensions(e.target.value)}
              maxLength={200}
              data-testid="issue-restore-extensions"
            />
          </label>{' '}
        </>
      ) : null}
      <label>
        Reason shown to the user{' '}
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="issue-reason" />
      </label>{' '}
      <label>
        <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> Dry run
      </label>{' '}
      <button type="submit" data-testid="issue-submit">
        Send
      </button>
      <ErrorBanner message={problem} />
    </form>
  );
}
