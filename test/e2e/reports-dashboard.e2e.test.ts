// The Reports page in Chromium against a real manager: an analyst opens it, reads the
// five HIPAA §164.312 safeguards with their evidence and gaps (the admin without a
// second factor among them), downloads the PDF, and downloads an alert's incident
// report; then opens a fleet incident's printable report in a new tab and downloads its
// PDF and timeline. An alert title or incident reason holding markup stays text.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEntity } from '../../manager/src/alerts/alert.entity';
import { IncidentEntity } from '../../manager/src/incidents/incident.entity';
import { readPdf } from '../../manager/src/reports/pdf-text.fixture';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi } from '../support/dashboard-users';

const HOSTILE_TITLE = '<img src=x onerror=alert(1)> USB copy';
const INCIDENT_ID = '5b0f3c1e-8d2a-4c6b-9e71-2f4a6d8c0b13';
const HOSTILE_REASON = '<img src=y onerror=alert(2)> 286 failed logons against 50 accounts from ip_7f3a';

describe('the Reports page in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  const password = 'ana.lyst-passphrase-2026';

  const api = dashboardApi(() => manager);

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    await api.addUser(admin, 'ana.lyst', 'analyst', password);
    await manager.app
      .get(DataSource)
      .getRepository(AlertEntity)
      .insert({
        id: 'alert-browser-1',
        agentId: 'agent-1',
        createdAt: Date.now() - 60_000,
        severity: 4,
        score: 90,
        title: HOSTILE_TITLE,
        reasons: ['copies to a removable volume'],
        status: 'open',
        kind: 'behaviour',
        eventIds: [],
        user: 'u_abc',
        revision: 1,
      });
    const seen = Date.now() - 120_000;
    await manager.app
      .get(DataSource)
      .getRepository(IncidentEntity)
      .insert({
        id: INCIDENT_ID,
        kind: 'source_failed_logons',
        subject: 'ip_7f3a',
        status: 'open',
        firstSeenMs: seen,
        lastSeenMs: seen + 60_000,
        events: 286,
        failures: 286,
        accounts: ['u_1', 'u_2'],
        accountCount: 50,
        workstations: ['ward3-ws12'],
        workstationCount: 1,
        reason: HOSTILE_REASON,
        evidence: [],
        evidenceCount: 0,
        createdMs: seen,
        updatedMs: seen + 60_000,
      });
    page = await browser.newPage({ acceptDownloads: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await manager?.stop();
  });

  it("shows the five safeguards with their gaps, downloads the PDF reports, and opens an incident's report", async () => {
    const dialogs = countDialogs(page);
    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'ana.lyst', password);
    await page.getByTestId('nav-reports').click();
    const safeguards = page.getByTestId('safeguard');
    await safeguards.first().waitFor({ timeout: 15_000 });
    expect(await safeguards.count()).toBe(5);
    expect(await safeguards.locator('h3').allTextContents()).toEqual([
      '§164.312(a)(1) Access control',
      '§164.312(b) Audit controls',
      '§164.312(c)(1) Integrity',
      '§164.312(d) Person or entity authentication',
      '§164.312(e)(1) Transmission security',
    ]);
    const gaps = await page.getByTestId('gap').allTextContents();
    expect(gaps).toContain('admins without a second factor: admin');
    expect(await page.getByTestId('hipaa-summary').textContent()).toContain(`${gaps.length} gap(s) found.`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hipaa-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/^wardwatch-hipaa-\d{4}-\d\d-\d\d\.pdf$/);
    const pdf = readPdf(readFileSync(await download.path()));
    expect(pdf.header).toBe('%PDF-1.3');
    expect(pdf.trailer).toBe(true);
    // The printable HTML opens in its own tab; the period's alerts download as CSV.
    const [hipaaTab] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('hipaa-html').click()]);
    await hipaaTab.waitForLoadState();
    expect(hipaaTab.url()).toMatch(/\/api\/v1\/reports\/hipaa\?format=html&/);
    expect(await hipaaTab.locator('body').innerText()).toContain('§164.312(b) Audit controls');
    await hipaaTab.close();
    const [alertsCsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('alerts-csv').click()]);
    expect(alertsCsv.suggestedFilename()).toMatch(/\.csv$/);
    const csvText = readFileSync(await alertsCsv.path(), 'utf8');
    expect(csvText).toContain('alert-browser-1');

    const row = page.getByTestId('report-alert-row');
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.first().textContent()).toContain(HOSTILE_TITLE);
    const [alertPdf] = await Promise.all([
      page.waitForEvent('download'),
      row.first().getByTestId('alert-report-pdf').click(),
    ]);
    expect(alertPdf.suggestedFilename()).toBe('wardwatch-alert-alert-browser-1.pdf');
    expect(readPdf(readFileSync(await alertPdf.path())).trailer).toBe(true);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);

    // A fleet incident's report: the printable HTML opens in its own tab, markup as text.
    const incidentRow = page.getByTestId('report-incident-row');
    await incidentRow.first().waitFor({ timeout: 15_000 });
    expect(await incidentRow.count()).toBe(1);
    expect(await incidentRow.first().textContent()).toContain(HOSTILE_REASON);
    const [tab] = await Promise.all([
      page.waitForEvent('popup'),
      incidentRow.first().getByTestId('incident-report-html').click(),
    ]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${manager.httpUrl}/api/v1/reports/incidents/${INCIDENT_ID}?format=html`);
    const tabText = await tab.locator('body').innerText();
    expect(tabText).toContain(HOSTILE_REASON);
    expect(tabText).toContain('ip_7f3a');
    expect(await tab.locator('img').count()).toBe(0);
    await tab.close();
    const [incidentPdf] = await Promise.all([
      page.waitForEvent('download'),
      incidentRow.first().getByTestId('incident-report-pdf').click(),
    ]);
    expect(incidentPdf.suggestedFilename()).toBe(`wardwatch-incident-${INCIDENT_ID}.pdf`);
    expect(readPdf(readFileSync(await incidentPdf.path())).trailer).toBe(true);
    const [timeline] = await Promise.all([
      page.waitForEvent('download'),
      incidentRow.first().getByTestId('incident-timeline-csv').click(),
    ]);
    expect(timeline.suggestedFilename()).toBe(`wardwatch-incident-${INCIDENT_ID}-timeline.csv`);
    const csv = readFileSync(await timeline.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('time,kind,actor,text');
    expect(csv).toContain('first activity seen');
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs.count).toBe(0);

    // Each download is in the audit trail, under the analyst's name.
    const admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    const audit = (await (
      await api.call('GET', '/api/v1/audit?actor=ana.lyst&limit=100', undefined, admin)
    ).json()) as {
      items: { action: string; target: string; details: { format?: string; subject?: string } }[];
    };
    const taken = audit.items
      .filter((r) => r.action.startsWith('report.'))
      .map((r) => `${r.action}:${r.details.format}`);
    expect(taken).toEqual(expect.arrayContaining(['report.hipaa:json', 'report.hipaa:pdf', 'report.incident:pdf']));
    const incidentReports = audit.items
      .filter((r) => r.action === 'report.incident' && r.details.subject === 'incident')
      .map((r) => `${r.target}:${r.details.format}`)
      .sort();
    expect(incidentReports).toEqual([`${INCIDENT_ID}:csv`, `${INCIDENT_ID}:html`, `${INCIDENT_ID}:pdf`]);
  });
});
