import { describe, expect, it } from 'vitest';
import { createApiClient } from './api-client';
import { inBackground, isBackground } from './background-requests';

describe('background requests', () => {
  it('marks the API calls a refresh starts synchronously, and only those', async () => {
    const sent: { path: string; background: string | undefined }[] = [];
    const api = createApiClient({
      onUnauthorized: () => undefined,
      fetchImpl: (input, init) => {
        const headers = new Headers(init?.headers);
        sent.push({
          path: typeof input === 'string' ? input : 'not a string',
          background: headers.get('X-WardWatch-Background') ?? undefined,
        });
        return Promise.resolve(Response.json({ username: 'nurse', role: 'analyst' }));
      },
    });
    await api.me();
    await inBackground(() => api.me());
    await inBackground(async () => {
      await api.me(); // started synchronously: background
      await api.me(); // after an await: no longer inside, so it counts as the user's
    });
    expect(sent.map((s) => s.background)).toEqual([undefined, '1', '1', undefined]);
    expect(isBackground()).toBe(false);
  });

  it('is left even when the refresh throws', () => {
    expect(() =>
      inBackground(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isBackground()).toBe(false);
  });
});
