// The two ways out: syslog over TLS (one connection per drain of a destination, every frame
// written before it is closed) and a signed webhook POST per record. A sender answers one
// outcome per record and never throws; "delivered" means the receiver took it — the TLS
// stream flushed and closed cleanly, or a 2xx answer.
import { Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { connect } from 'node:tls';
import { MANAGER_VERSION } from '../version';
import { cefOf } from './cef';
import type { ForwardRecord } from './forward-record';
import type { DestinationConfig } from '@wardwatch/shared';
import { ocsfOf } from './ocsf';
import { severityOf } from './severity-map';
import { formatSyslog, octetFrame } from './syslog-frame';
import { signatureHeaders } from './webhook-signature';

export type SendOutcome = { ok: true } | { ok: false; error: string; unreachable?: true };
type SyslogConfig = Extract<DestinationConfig, { type: 'syslog' }>;
type WebhookConfig = Extract<DestinationConfig, { type: 'webhook' }>;

const TIMEOUT_MS = 10_000;

/** What the forwarding service sends through; `send` never throws. */
export abstract class ForwardSender {
  abstract send(config: DestinationConfig, records: readonly ForwardRecord[]): Promise<SendOutcome[]>;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 480);

export function syslogLine(record: ForwardRecord, host = hostname()): string {
  return formatSyslog({
    timeMs: record.timeMs,
    hostname: host,
    appName: 'wardwatch',
    msgId: record.action,
    severity: severityOf(record),
    structuredData: [
      'wardwatch@32473',
      [
        ['eventId', record.eventId],
        ['kind', record.kind],
      ],
    ],
    message: cefOf(record, MANAGER_VERSION),
  });
}

@Injectable()
export class NetworkForwardSender extends ForwardSender {
  async send(config: DestinationConfig, records: readonly ForwardRecord[]): Promise<SendOutcome[]> {
    if (config.type === 'syslog') {
      const outcome = await this.sendSyslog(config, records).then(
        (): SendOutcome => ({ ok: true }),
        (error: unknown): SendOutcome => ({ ok: false, error: `syslog: ${describe(error)}` }),
      );
      return records.map(() => outcome);
    }
    const outcomes: SendOutcome[] = [];
    for (const record of records) {
      const outcome = await this.post(config, record);
      outcomes.push(outcome);
      // Unreachable (refused, timed out): the rest would wait as long for the same answer.
      if ('unreachable' in outcome) return records.map((_, i) => outcomes[i] ?? { ok: false, error: outcome.error });
    }
    return outcomes;
  }

  private sendSyslog(config: SyslogConfig, records: readonly ForwardRecord[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: config.host,
        port: config.port,
        ...(config.caPem ? { ca: [config.caPem] } : {}),
        ...(config.serverName
          ? { servername: config.serverName }
          : isIP(config.host)
            ? {}
            : { servername: config.host }),
        minVersion: 'TLSv1.2',
        timeout: TIMEOUT_MS,
      });
      socket.once('timeout', () => socket.destroy(new Error('timed out')));
      socket.once('error', reject);
      let written = false;
      socket.once('secureConnect', () => {
        for (const record of records) socket.write(octetFrame(syslogLine(record)));
        written = true;
        socket.end();
      });
      // 'close' after a clean end: every byte was handed to the receiver's TCP stack. A close
      // before the handshake finished (the receiver hung up) delivered nothing.
      socket.once('close', (hadError) => {
        if (hadError) return;
        if (written) resolve();
        else reject(new Error('closed before the TLS handshake completed'));
      });
    });
  }

  private async post(config: WebhookConfig, record: ForwardRecord): Promise<SendOutcome> {
    const body = JSON.stringify(ocsfOf(record, MANAGER_VERSION));
    try {
      const answer = await fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wardwatch-event-id': record.eventId,
          ...signatureHeaders(config.secret, Math.floor(Date.now() / 1_000), body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await answer.body?.cancel();
      return answer.ok ? { ok: true } : { ok: false, error: `webhook: HTTP ${answer.status}` };
    } catch (error) {
      // fetch names the network failure in `cause` (refused, reset, …).
      const cause = error instanceof Error && error.cause ? error.cause : error;
      return { ok: false, error: `webhook: ${describe(cause)}`, unreachable: true };
    }
  }
}
