// The new-destination form as a request. What was typed is sent as it is (a port that is not a
// number stays text): the manager validates with the shared schema and names each refused
// field, and the page shows those problems under the form — one judge of what is valid.
// A webhook secret left empty is generated here, sent once and shown once; it is never read back.
import { forwardKinds, type ForwardKind } from '@wardwatch/shared';
import type { Problem } from '../common/json-text';

export type DestinationType = 'webhook' | 'syslog';

/** The body of POST /forwarding/destinations before the manager has checked it. */
export interface DestinationDraft {
  name: string;
  enabled: boolean;
  kinds: string[];
  config:
    | { type: 'webhook'; url: string; secret: string }
    | { type: 'syslog'; host: string; port: number | string; caPem?: string; serverName?: string };
}

export interface DestinationFields {
  name: string;
  type: DestinationType;
  kinds: readonly string[];
  url: string;
  secret: string;
  host: string;
  port: string;
  caPem: string;
  serverName: string;
}

/** 32 random bytes as base64url (43 characters): well over the schema's 32-character minimum. */
export function generateSecret(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The request, and the secret when this form made it (to be shown once). */
export function destinationDraft(
  fields: DestinationFields,
  makeSecret: () => string = generateSecret,
): { draft: DestinationDraft; generatedSecret?: string } {
  const base = { name: fields.name.trim(), enabled: true, kinds: [...fields.kinds] };
  if (fields.type === 'webhook') {
    const typed = fields.secret.trim();
    const secret = typed === '' ? makeSecret() : typed;
    return {
      draft: { ...base, config: { type: 'webhook', url: fields.url.trim(), secret } },
      ...(typed === '' ? { generatedSecret: secret } : {}),
    };
  }
  const portText = fields.port.trim();
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : portText;
  const caPem = fields.caPem.trim();
  const serverName = fields.serverName.trim();
  return {
    draft: {
      ...base,
      config: {
        type: 'syslog',
        host: fields.host.trim(),
        port,
        ...(caPem === '' ? {} : { caPem }),
        ...(serverName === '' ? {} : { serverName }),
      },
    },
  };
}

const fieldLabels: Record<string, string> = {
  name: 'Name',
  kinds: 'Forward',
  'config.url': 'URL',
  'config.secret': 'Secret',
  'config.host': 'Host',
  'config.port': 'Port',
  'config.caPem': 'CA certificate',
  'config.serverName': 'Certificate name',
};

/** The manager's refusals by the form's own labels ("URL", "kinds.0" → "Forward"); others as given. */
export function formProblems(problems: readonly Problem[]): Problem[] {
  return problems.map((problem) => {
    const exact = fieldLabels[problem.path];
    const head = problem.path.split('.')[0];
    const label = exact ?? (head === 'kinds' ? fieldLabels.kinds : problem.path || 'form');
    return { path: label, message: problem.message };
  });
}

/** Kinds in the schema's order, as the checkboxes list them. */
export const kindChoices: readonly ForwardKind[] = forwardKinds;
export const kindLabels: Record<ForwardKind, string> = {
  alert: 'Alerts',
  action: 'Response actions',
  audit: 'Audit entries',
};
