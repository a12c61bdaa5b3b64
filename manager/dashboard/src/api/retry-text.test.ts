import { describe, expect, it } from 'vitest';
import { retryText } from './api-client';

describe('retryText', () => {
  it("words the manager's Retry-After, and falls back without one", () => {
    expect(retryText('1')).toBe('Try again in 1 s.');
    expect(retryText('59')).toBe('Try again in 59 s.');
    expect(retryText('900')).toBe('Try again in 15 min.');
    expect(retryText('61')).toBe('Try again in 2 min.');
    expect(retryText(null)).toBe('Wait a minute, then try again.');
    expect(retryText('Wed, 21 Oct 2026 07:28:00 GMT')).toBe('Wait a minute, then try again.');
  });
});
