// Requests the body parser refuses before Nest routes them keep the parser's status
// and message in JSON: a body over the limit is a 413, an unknown charset a 415, a
// body that does not match its Content-Encoding a 400. Found by the REST fuzz
// (api-fuzz.property.test.ts): each was answered as a 500 "internal error" and logged as one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestManager, type TestManager } from '../testing/test-manager.fixture';

describe('requests the body parser refuses', () => {
  let manager: TestManager;
  beforeAll(async () => {
    manager = await startTestManager();
  });
  afterAll(async () => manager?.stop());

  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${manager.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it.each<{ what: string; headers: Record<string, string>; body: string; status: number; message: RegExp }>([
    {
      what: 'a body over the limit',
      headers: {},
      body: `"${'x'.repeat(2_000_000)}"`,
      status: 413,
      message: /too large/,
    },
    {
      what: 'an unsupported charset',
      headers: { 'content-type': 'application/json; charset=latin9' },
      body: '{}',
      status: 415,
      message: /unsupported charset "LATIN9"/,
    },
    {
      what: 'a body that is not in its declared encoding',
      headers: { 'content-encoding': 'gzip' },
      body: '{}',
      status: 400,
      message: /header/,
    },
    {
      what: 'an unsupported content encoding',
      headers: { 'content-encoding': 'x-wardwatch' },
      body: '{}',
      status: 415,
      message: /unsupported content encoding/,
    },
  ])('answers $what with $status and the reason, not a 500', async ({ headers, body, status, message }) => {
    const errorsBefore = manager.logs.filter((l) => l.level === 'error').length;
    const response = await post(headers, body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    expect(manager.logs.filter((l) => l.level === 'error')).toHaveLength(errorsBefore);
  });
});
