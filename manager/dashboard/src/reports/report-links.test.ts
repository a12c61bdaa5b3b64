import { describe, expect, it } from 'vitest';
import { alertsExportUrl, hipaaReportUrl, incidentReportUrl, lastDays, timelineExportUrl } from './report-links';

describe('report links', () => {
  const now = Date.UTC(2026, 11, 3);
  it('asks for the period that ends now', () => {
    expect(lastDays(30, now)).toEqual({ fromMs: now - 30 * 86_400_000, toMs: now });
    expect(hipaaReportUrl('pdf', lastDays(7, now))).toBe(
      `/api/v1/reports/hipaa?format=pdf&fromMs=${now - 7 * 86_400_000}&toMs=${now}`,
    );
    expect(alertsExportUrl('csv', { fromMs: 1, toMs: 2 })).toBe(
      '/api/v1/reports/alerts/export?format=csv&fromMs=1&toMs=2',
    );
  });

  it('encodes ids into the path', () => {
    expect(incidentReportUrl('alert', 'a/../b?x', 'html')).toBe('/api/v1/reports/alerts/a%2F..%2Fb%3Fx?format=html');
    expect(timelineExportUrl('incident', 'i-1', 'json')).toBe('/api/v1/reports/incidents/i-1/timeline?format=json');
  });
});
