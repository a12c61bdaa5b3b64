// The report routes over real HTTP on a whole manager (SQLite): the HIPAA report as JSON,
// as standalone HTML under its own CSP and as a PDF download; an alert's report and its
// timeline; the alerts export with formula cells defused; each download audited.
import { AuditPage, HipaaReport, IncidentReport } from '@wardwatch/shared';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEntity } from '../alerts/alert.entity';
import { adminGet, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { readPdf } from './pdf-text.fixture';

const HOSTILE_TITLE = '=HYPERLINK("http://x")<script>alert(1)</script>';

describe('report routes over HTTP', () => {
  let manager: TestManager;
  let get: (path: string) => Promise<Response>;

  beforeAll(async () => {
    manager = await startTestManager();
    get = await adminGet(manager);
    await manager.app
      .get(DataSource)
      .getRepository(AlertEntity)
      .insert({
        id: 'alert-http-1',
        agentId: 'agent-1',
        createdAt: Date.now() - 60_000,
        severity: 4,
        score: 88,
        title: HOSTILE_TITLE,
        reasons: ['+1 cmd', '@SUM(A1)'],
        status: 'open',
        kind: 'behaviour',
        eventIds: [],
        user: 'u_abc',
        revision: 1,
      });
  });
  afterAll(() => manager?.stop());

  const audited = async () =>
    AuditPage.parse(await (await get('/api/v1/audit?limit=100')).json()).items.filter((r) =>
      r.action.startsWith('report.'),
    );

  it('serves the HIPAA report as JSON for a period, and refuses a reversed one', async () => {
    const now = Date.now();
    const response = await get(`/api/v1/reports/hipaa?fromMs=${now - 86_400_000}&toMs=${now}`);
    expect(response.status).toBe(200);
    const report = HipaaReport.parse(await response.json());
    expect(report.safeguards.map((s) => s.section)).toEqual([
      '§164.312(a)(1)',
      '§164.312(b)',
      '§164.312(c)(1)',
      '§164.312(d)',
      '§164.312(e)(1)',
    ]);
    // The admin signed in once: the sign-in is evidence.
    const auth = report.safeguards.find((s) => s.id === 'authentication')!;
    expect(auth.parts[0].evidence.find((e) => e.label === 'Sign-ins in the period')?.value).toBeGreaterThanOrEqual(1);
    expect((await get(`/api/v1/reports/hipaa?fromMs=${now}&toMs=${now - 1}`)).status).toBe(400);
    expect((await get('/api/v1/reports/hipaa?format=docx')).status).toBe(400);
  });

  it('serves standalone HTML with a CSP of its own, and a PDF download that parses', async () => {
    const html = await get('/api/v1/reports/hipaa?format=html');
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(await html.text()).toContain('Transmission security');
    const pdf = await get('/api/v1/reports/hipaa?format=pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(
      /^attachment; filename="wardwatch-hipaa-\d{4}-\d\d-\d\d\.pdf"$/,
    );
    const facts = readPdf(Buffer.from(await pdf.arrayBuffer()));
    expect(facts.header).toBe('%PDF-1.3');
    expect(facts.trailer).toBe(true);
    const formats = (await audited()).filter((r) => r.action === 'report.hipaa').map((r) => r.details['format']);
    expect(formats).toEqual(expect.arrayContaining(['json', 'html', 'pdf']));
  });

  it("serves an alert's incident report with the clock, its HTML escaped, and 404 for an unknown alert", async () => {
    const report = IncidentReport.parse(await (await get('/api/v1/reports/alerts/alert-http-1')).json());
    expect(report.clock).toMatchObject({ state: 'running', daysRemaining: 60 });
    const html = await (await get('/api/v1/reports/alerts/alert-http-1?format=html')).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
    expect((await get('/api/v1/reports/alerts/nope?format=pdf')).status).toBe(404);
  });

  it('exports alerts and a timeline as CSV with formula cells quoted, and JSON; each audited', async () => {
    const csv = await get('/api/v1/reports/alerts/export?format=csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="wardwatch-alerts-.*\.csv"$/);
    const text = await csv.text();
    expect(text).toContain(`"'=HYPERLINK(""http://x"")<script>alert(1)</script>"`);
    expect(text).toContain(`'+1 cmd; @SUM(A1)`);
    expect(text.split('\r\n').some((line) => line.split(',').some((cell) => /^[=+\-@]/.test(cell)))).toBe(false);
    const json = (await (await get('/api/v1/reports/alerts/export?format=json')).json()) as { items: { id: string }[] };
    expect(json.items.map((a) => a.id)).toContain('alert-http-1');
    const timeline = await (await get('/api/v1/reports/alerts/alert-http-1/timeline?format=csv')).text();
    expect(timeline.split('\r\n')[0]).toBe('time,kind,actor,text');
    const actions = (await audited()).map((r) => r.action);
    expect(actions.filter((a) => a === 'report.alerts_export')).toHaveLength(2);
    expect(actions).toContain('report.incident');
  });
});
