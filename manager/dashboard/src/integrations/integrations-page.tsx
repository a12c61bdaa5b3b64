// Admins connect SIEMs: syslog over TLS (CEF) or a signed OCSF webhook. The list shows each
// destination's state, last delivery, delivered / dead-letter counts and backlog; a row is
// enabled or disabled, sent a test record, deleted after a confirmation, and its newest dead
// letters read. A webhook secret is write-only: shown once here when the form generated it.
// The manager audits every change. Names, targets and errors are rendered as text.
import { type DeadLetterList, type DestinationList, type DestinationView } from '@wardwatch/shared';
import { useCallback, useState, type FormEvent } from 'react';
import { ApiError, errorMessage, type ApiClient } from '../api/api-client';
import { EmptyRow } from '../common/empty-row';
import { ErrorBanner } from '../common/error-banner';
import { Notice } from '../common/notice';
import { formatCount } from '../common/format';
import { formText } from '../common/form-text';
import { JsonProblems } from '../common/json-problems';
import type { Problem } from '../common/json-text';
import { TextField } from '../common/text-field';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { destinationDraft, formProblems, kindChoices, kindLabels, type DestinationType } from './destination-form';

const DEAD_LETTERS_SHOWN = 50;

const DESTINATION_COLUMNS: Columns = [
  'Name',
  'Kind',
  'Target',
  'State',
  'Last delivery',
  'Delivered',
  'Dead letters',
  'Backlog',
  { label: 'Actions', hidden: true },
];

export function IntegrationsPage({ api }: { api: ApiClient }) {
  const load = useCallback(() => api.destinations(), [api]);
  const destinations = usePolling<DestinationList>(load, 3_000);
  const now = useNow();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | undefined>();
  const [opened, setOpened] = useState<string | undefined>();

  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    work()
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => {
        setBusy(false);
        destinations.refresh();
      });
  };

  const toggle = (d: DestinationView) =>
    run(() =>
      api
        .updateDestination(d.id, { enabled: !d.enabled })
        .then(() => setNotice(`${d.name} ${d.enabled ? 'disabled: its records wait' : 'enabled'}.`)),
    );
  const sendTest = (d: DestinationView) =>
    run(() =>
      api
        .testDestination(d.id)
        .then((result) =>
          setNotice(
            result.delivered
              ? `${d.name} took the test record.`
              : `${d.name} did not take the test record: ${result.error ?? 'no reason given'}`,
          ),
        ),
    );
  const remove = (d: DestinationView) => {
    setConfirming(undefined);
    if (opened === d.id) setOpened(undefined);
    run(() => api.removeDestination(d.id).then(() => setNotice(`${d.name} deleted, with its backlog.`)));
  };

  const items = destinations.data ?? [];
  const shownDead = items.find((d) => d.id === opened);
  return (
    <section aria-labelledby="integrations-title">
      <div className="page-head">
        <h1 id="integrations-title">Integrations</h1>
      </div>
      <p className="muted">
        Alerts, response actions and audit entries forwarded to a SIEM, at least once: syslog over TLS (RFC 5424, CEF)
        or OCSF JSON to a webhook, signed with HMAC-SHA-256. Failed records are retried with backoff; after the last
        attempt they become dead letters (the newest 1,000 kept).
      </p>
      <NewDestinationForm api={api} onCreated={destinations.refresh} />
      <Notice message={notice} testId="destination-notice" />
      <ErrorBanner message={error ?? destinations.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={DESTINATION_COLUMNS} />
          <tbody>
            <EmptyRow show={destinations.data !== undefined && items.length === 0} columns={DESTINATION_COLUMNS}>
              No destinations: nothing is forwarded.
            </EmptyRow>
            {items.map((d) => (
              <tr key={d.id} data-testid="destination-row" data-destination-id={d.id}>
                <td className="strong" data-testid="destination-name">
                  {d.name}
                </td>
                <td>
                  {d.type === 'syslog' ? 'syslog (TLS, CEF)' : 'webhook (OCSF)'}
                  <div className="muted">{d.kinds.map((k) => kindLabels[k]).join(', ')}</div>
                </td>
                <td className="mono" data-testid="destination-target">
                  {d.target}
                </td>
                <td>
                  <span
                    className={`badge ${d.enabled ? 'status-online' : 'status-offline'}`}
                    data-testid="destination-state"
                    data-state={d.enabled ? 'enabled' : 'disabled'}
                  >
                    {d.enabled ? 'enabled' : 'disabled'}
                  </span>
                </td>
                <td data-testid="destination-last-delivery">
                  <TimeCell ms={d.lastDeliveredAt} now={now} />
                </td>
                <td data-testid="destination-delivered">{formatCount(d.counts.delivered)}</td>
                <td data-testid="destination-dead">{formatCount(d.counts.dead)}</td>
                <td data-testid="destination-pending">{formatCount(d.counts.pending)}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => toggle(d)} data-testid="destination-toggle">
                    {d.enabled ? 'Disable' : 'Enable'}
                  </button>{' '}
                  <button type="button" disabled={busy} onClick={() => sendTest(d)} data-testid="destination-test">
                    Send test
                  </button>{' '}
                  <button
                    type="button"
                    aria-expanded={opened === d.id}
                    onClick={() => setOpened(opened === d.id ? undefined : d.id)}
                    data-testid="destination-dead-letters"
                  >
                    Dead letters
                  </button>{' '}
                  {confirming === d.id ? (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => remove(d)}
                      data-testid="destination-delete-confirm"
                    >
                      Confirm: delete {d.name} and its backlog
                    </button>
                  ) : (
                    <button type="button" onClick={() => setConfirming(d.id)} data-testid="destination-delete">
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shownDead ? <DeadLetters key={shownDead.id} api={api} destination={shownDead} now={now} /> : null}
    </section>
  );
}

function NewDestinationForm({ api, onCreated }: { api: ApiClient; onCreated: () => void }) {
  const [type, setType] = useState<DestinationType>('webhook');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ name: string; secret?: string } | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const { draft, generatedSecret } = destinationDraft({
      name: formText(form, 'name'),
      type,
      kinds: form.getAll('kinds').filter((k): k is string => typeof k === 'string'),
      url: formText(form, 'url'),
      secret: formText(form, 'secret'),
      host: formText(form, 'host'),
      port: formText(form, 'port'),
      caPem: formText(form, 'caPem'),
      serverName: formText(form, 'serverName'),
    });
    setBusy(true);
    setProblems([]);
    setError(undefined);
    setCreated(undefined);
    api
      .createDestination(draft)
      .then((view) => {
        setCreated({ name: view.name, ...(generatedSecret ? { secret: generatedSecret } : {}) });
        target.reset();
        onCreated();
      })
      .catch((caught: unknown) => {
        if (caught instanceof ApiError && caught.problems.length > 0) setProblems(formProblems(caught.problems));
        else setError(errorMessage(caught));
      })
      .finally(() => setBusy(false));
  };

  return (
    <>
      <form
        className="filters"
        onSubmit={submit}
        noValidate
        aria-label="New destination"
        data-testid="destination-form"
      >
        <TextField id="destination-name" name="name" label="Name" maxLength={100} testId="destination-name-input" />
        <div className="field">
          <label htmlFor="destination-type">Kind</label>
          <select
            id="destination-type"
            value={type}
            onChange={(e) => setType(e.currentTarget.value === 'syslog' ? 'syslog' : 'webhook')}
            data-testid="destination-type"
          >
            <option value="webhook">Webhook (OCSF JSON, HMAC-signed)</option>
            <option value="syslog">Syslog over TLS (CEF)</option>
          </select>
        </div>
        <fieldset className="field">
          <legend>Forward</legend>
          {kindChoices.map((kind) => (
            <label key={kind}>
              <input
                type="checkbox"
                name="kinds"
                value={kind}
                defaultChecked
                data-testid={`destination-kind-${kind}`}
              />{' '}
              {kindLabels[kind]}
            </label>
          ))}
        </fieldset>
        {type === 'webhook' ? (
          <>
            <TextField
              id="destination-url"
              name="url"
              label="URL (https://)"
              maxLength={2_100}
              testId="destination-url"
            />
            <TextField
              id="destination-secret"
              name="secret"
              label="Secret (empty: generate one)"
              maxLength={600}
              type="password"
              testId="destination-secret-input"
            />
          </>
        ) : (
          <>
            <TextField id="destination-host" name="host" label="Host" maxLength={300} testId="destination-host" />
            <TextField
              id="destination-port"
              name="port"
              label="Port"
              maxLength={10}
              inputMode="numeric"
              defaultValue="6514"
              testId="destination-port"
            />
            <TextField
              id="destination-server-name"
              name="serverName"
              label="Certificate name (empty: the host)"
              maxLength={300}
              testId="destination-server-name"
            />
            <div className="field">
              <label htmlFor="destination-ca">CA certificate, PEM (empty: the system&apos;s)</label>
              <textarea id="destination-ca" name="caPem" rows={3} maxLength={20_000} data-testid="destination-ca" />
            </div>
          </>
        )}
        <div className="field actions">
          <button type="submit" className="primary" disabled={busy} data-testid="destination-create">
            Add destination
          </button>
        </div>
      </form>
      {problems.length > 0 ? <JsonProblems problems={problems} testId="destination" /> : null}
      <ErrorBanner message={error} />
      {created ? (
        <p className="notice" data-testid="destination-created">
          Added <span className="strong">{created.name}</span>.
          {created.secret ? (
            <>
              {' '}
              Its signing secret, shown only now — give it to the receiver:{' '}
              <span className="mono strong" data-testid="destination-secret">
                {created.secret}
              </span>
            </>
          ) : null}
        </p>
      ) : null}
    </>
  );
}

const DEAD_LETTER_COLUMNS: Columns = ['Given up', 'Event', 'Kind', 'Attempts', 'Last error'];

function DeadLetters({ api, destination, now }: { api: ApiClient; destination: DestinationView; now: number }) {
  const load = useCallback(() => api.deadLetters(destination.id, DEAD_LETTERS_SHOWN), [api, destination.id]);
  const letters = usePolling<DeadLetterList>(load, 10_000);
  return (
    <section className="panel" aria-labelledby="dead-letters-title" data-testid="dead-letters">
      <h2 id="dead-letters-title">Dead letters of {destination.name}</h2>
      <p className="muted">
        The newest {DEAD_LETTERS_SHOWN} of {formatCount(destination.counts.dead)}: records the receiver never took.
      </p>
      <ErrorBanner message={letters.error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={DEAD_LETTER_COLUMNS} />
          <tbody>
            <EmptyRow show={letters.data !== undefined && letters.data.length === 0} columns={DEAD_LETTER_COLUMNS}>
              None.
            </EmptyRow>
            {(letters.data ?? []).map((letter) => (
              <tr key={letter.eventId} data-testid="dead-letter-row">
                <td>
                  <TimeCell ms={letter.deadAt} now={now} />
                </td>
                <td className="mono">{letter.eventId}</td>
                <td>{kindLabels[letter.kind]}</td>
                <td>{letter.attempts}</td>
                <td className="component-message" data-testid="dead-letter-error">
                  {letter.lastError}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
