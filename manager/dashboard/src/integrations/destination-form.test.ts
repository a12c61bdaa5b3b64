import { CreateDestinationRequest } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { destinationDraft, formProblems, generateSecret, type DestinationFields } from './destination-form';

const fields: DestinationFields = {
  name: '  soc  ',
  type: 'webhook',
  kinds: ['alert', 'audit'],
  url: ' https://siem.example.org/hook ',
  secret: '',
  host: '',
  port: '',
  caPem: '',
  serverName: '',
};

describe('destinationDraft', () => {
  it('generates a webhook secret when none was typed, says so once, and the schema takes it', () => {
    const { draft, generatedSecret } = destinationDraft(fields);
    expect(generatedSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(draft).toEqual({
      name: 'soc',
      enabled: true,
      kinds: ['alert', 'audit'],
      config: { type: 'webhook', url: 'https://siem.example.org/hook', secret: generatedSecret },
    });
    expect(CreateDestinationRequest.safeParse(draft).success).toBe(true);
    expect(destinationDraft(fields).generatedSecret).not.toBe(generatedSecret);
  });

  it('sends a typed secret as it is and reports no generated one', () => {
    const typed = 'x'.repeat(40);
    const { draft, generatedSecret } = destinationDraft({ ...fields, secret: typed });
    expect(generatedSecret).toBeUndefined();
    expect(draft.config).toEqual({ type: 'webhook', url: 'https://siem.example.org/hook', secret: typed });
  });

  it('makes a syslog config; a port that is not digits stays text for the manager to refuse', () => {
    const syslog = { ...fields, type: 'syslog' as const, host: 'siem.local', port: '6514', caPem: ' PEM ' };
    expect(destinationDraft(syslog).draft.config).toEqual({
      type: 'syslog',
      host: 'siem.local',
      port: 6514,
      caPem: 'PEM',
    });
    const bad = destinationDraft({ ...syslog, port: '65x', serverName: 'siem' }).draft;
    expect(bad.config).toMatchObject({ port: '65x', serverName: 'siem' });
    expect(CreateDestinationRequest.safeParse(bad).success).toBe(false);
  });
});

describe('generateSecret', () => {
  it('encodes 32 bytes as base64url without padding', () => {
    expect(generateSecret((b) => b.fill(0xff))).toBe('_'.repeat(42) + '8');
  });
});

describe('formProblems', () => {
  it("names the manager's refused fields by the form's labels", () => {
    expect(
      formProblems([
        { path: 'config.url', message: 'must be https://' },
        { path: 'kinds.0', message: 'invalid option' },
        { path: '', message: 'unknown key' },
        { path: 'config.other', message: 'x' },
      ]),
    ).toEqual([
      { path: 'URL', message: 'must be https://' },
      { path: 'Forward', message: 'invalid option' },
      { path: 'form', message: 'unknown key' },
      { path: 'config.other', message: 'x' },
    ]);
  });
});
