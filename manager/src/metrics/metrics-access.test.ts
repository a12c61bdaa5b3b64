import { describe, expect, it } from 'vitest';
import { isLoopback, metricsAccess } from './metrics-access';

const TOKEN = 'scrape-token-0123456789';

describe('metricsAccess', () => {
  it('answers only loopback callers when no token is configured', () => {
    expect(metricsAccess('127.0.0.1', undefined, undefined)).toBe('allowed');
    expect(metricsAccess('::1', undefined, undefined)).toBe('allowed');
    expect(metricsAccess('::ffff:127.0.0.1', undefined, undefined)).toBe('allowed');
    expect(metricsAccess('10.1.2.3', undefined, undefined)).toBe('loopback_only');
    expect(metricsAccess('::ffff:10.1.2.3', `Bearer ${TOKEN}`, undefined)).toBe('loopback_only');
    expect(metricsAccess(undefined, undefined, undefined)).toBe('loopback_only');
  });

  it('asks every caller, loopback too, for the bearer token when one is configured', () => {
    expect(metricsAccess('10.1.2.3', `Bearer ${TOKEN}`, TOKEN)).toBe('allowed');
    expect(metricsAccess('127.0.0.1', undefined, TOKEN)).toBe('token_required');
    expect(metricsAccess('127.0.0.1', `Bearer ${TOKEN}x`, TOKEN)).toBe('token_required');
    expect(metricsAccess('127.0.0.1', `Basic ${TOKEN}`, TOKEN)).toBe('token_required');
    expect(metricsAccess('127.0.0.1', 'Bearer ', TOKEN)).toBe('token_required');
  });

  it('recognises loopback addresses and nothing else', () => {
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('::2')).toBe(false);
    expect(isLoopback('fe80::1')).toBe(false);
  });
});
