// The HTML and PDF forms of one report: the same sections, hostile workstation strings
// escaped in HTML and drawn as plain text in the PDF, a PDF that parses.
import { inflateSync } from 'node:zlib';
import { HipaaReport, IncidentReport } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { breachClock } from './breach-clock';
import { gapCount, hipaaSafeguards, type HipaaFacts } from './hipaa-safeguards';
import { readPdf } from './pdf-text.fixture';
import { escapeHtml, hipaaReportHtml, incidentReportHtml, REPORT_HTML_CSP } from './report-html';
import { hipaaReportPdf, incidentReportPdf, safe } from './report-pdf';

const HOSTILE = '<script>alert(1)</script>"\'&<img src=x onerror=alert(2)>';
const T = Date.UTC(2026, 11, 2, 12);

function facts(overrides: Partial<HipaaFacts> = {}): HipaaFacts {
  const tally = { applied: 0, notEnforced: 0, failed: 0, notReported: 0 };
  return {
    accounts: { active: 3, disabled: 1, withMfa: 2, oneTimePassword: 0 },
    requiredWithoutMfa: [],
    adminsWithoutMfa: [],
    mfaRequiredRoles: ['admin', 'privacy_officer'],
    ssoEnabled: false,
    signIns: 5,
    failedSignIns: 1,
    refusedSignIns: 0,
    recoveryCodesUsed: 0,
    breakGlassUses: 2,
    maintenanceUses: 0,
    sessions: { idleTimeoutMinutes: 15, maxLifetimeHours: 12, activeNow: 1 },
    idleLock: { ...tally, applied: 2 },
    workstations: {
      enrolled: 2,
      revoked: 0,
      compliant: 2,
      nonCompliant: [],
      pending: 0,
      noReport: 0,
      diskEncrypted: 2,
      diskNotEncrypted: [],
      diskUnknown: 0,
      withKek: 2,
      readsAudited: 2,
      readsPartly: [],
      readsNotAudited: [],
      readsUnknown: 0,
    },
    managerLink: { ...tally, applied: 2 },
    audit: {
      rowsTotal: 40,
      rowsInPeriod: 30,
      verification: 'ok',
      lastVerifiedAt: T,
      firstBadSeq: null,
      lastCheckpointAt: T,
      lastCheckpointSeq: 40,
      checkpointSyslog: 'sent',
      verifyIntervalMinutes: 60,
      chainAlerts: 0,
      blindAlerts: 0,
      accessDenied: 0,
      exports: 0,
      reidentifications: 0,
    },
    commands: { issued: 1, failed: 0 },
    behaviourAlerts: 3,
    unwraps: 0,
    certificatesRenewed: 0,
    forwardDestinations: 0,
    dashboardTls: 'own-ca',
    ...overrides,
  };
}

function hipaa(f: HipaaFacts): HipaaReport {
  const safeguards = hipaaSafeguards(f);
  return HipaaReport.parse({
    generatedAt: T,
    fromMs: T - 86_400_000,
    toMs: T,
    safeguards,
    gapCount: gapCount(safeguards),
  });
}

function incident(text: string): IncidentReport {
  return IncidentReport.parse({
    generatedAt: T,
    subject: 'alert',
    id: 'a-1',
    title: text,
    summary: [{ label: 'Workstation', value: text }],
    clock: breachClock({ discoveredAt: T, discoveredBy: 'alert_created', acknowledgedAt: null, verdict: null, now: T }),
    approvals: [
      { id: 'p', summary: text, state: 'approved', requestedBy: null, approvedBy: ['ana'], rejectedBy: null },
    ],
    actions: [],
    evidenceCount: 1,
    timeline: [{ timeMs: T, kind: 'evidence', actor: 'agent:x', text }],
    timelineTruncated: false,
  });
}

const TITLES = [
  'Access control',
  'Audit controls',
  'Integrity',
  'Person or entity authentication',
  'Transmission security',
];

describe('the safeguards', () => {
  it('finds no gap in a well-kept installation but the one it always states', () => {
    const report = hipaa(facts());
    expect(report.safeguards.map((s) => s.title)).toEqual(TITLES);
    expect(report.safeguards.flatMap((s) => s.parts.flatMap((p) => p.gaps))).toEqual([
      'dashboard sessions ended by the idle timeout are not recorded one by one (only the setting is evidence)',
    ]);
  });

  it('names admins without a second factor, non-compliant workstations and a failed chain', () => {
    const f = facts({ adminsWithoutMfa: ['root2'], requiredWithoutMfa: ['root2', 'priv'] });
    f.workstations.nonCompliant = ['ward3-ws12'];
    f.workstations.diskNotEncrypted = ['ward3-ws12'];
    f.workstations.readsNotAudited = ['ward3-ws12'];
    f.workstations.readsPartly = ['icu-ws2'];
    f.audit.blindAlerts = 2;
    f.audit.verification = 'failed';
    f.audit.firstBadSeq = 7;
    const gaps = hipaa(f).safeguards.flatMap((s) => s.parts.flatMap((p) => p.gaps));
    expect(gaps).toContain('admins without a second factor: root2');
    expect(gaps).toContain('accounts whose role requires a second factor but have none: priv');
    expect(gaps).toContain('workstations not compliant with their policy: ward3-ws12');
    expect(gaps).toContain('disk not encrypted on ward3-ws12');
    expect(gaps).toContain('reads of patient files are not audited on ward3-ws12');
    expect(gaps).toContain('reads of patient files are audited in only some patient-data folders on icu-ws2');
    expect(gaps).toContain("a workstation's audit of patient data failed 2 time(s) in the period (agent_blind alerts)");
    expect(gaps).toContain('the audit chain failed verification at row 7');
    expect(hipaa(f).gapCount).toBe(gaps.length);
  });
});

describe('the breach clock', () => {
  const day = 86_400_000;
  it('runs 60 days from discovery, rounds days up, and is overdue after', () => {
    const at = (now: number, verdict: 'false_positive' | null = null) =>
      breachClock({ discoveredAt: T, discoveredBy: 'alert_created', acknowledgedAt: T + 5, verdict, now });
    expect(at(T)).toMatchObject({ deadlineAt: T + 60 * day, daysRemaining: 60, state: 'running' });
    expect(at(T + 59 * day + 1)).toMatchObject({ daysRemaining: 1, state: 'running' });
    expect(at(T + 61 * day)).toMatchObject({ daysRemaining: -1, state: 'overdue' });
    expect(at(T + 61 * day, 'false_positive').state).toBe('not_a_breach');
  });
});

describe('HTML', () => {
  it('escapes every hostile value and carries no markup from it', () => {
    const f = facts({ adminsWithoutMfa: [HOSTILE] });
    f.workstations.nonCompliant = [HOSTILE];
    for (const html of [hipaaReportHtml(hipaa(f)), incidentReportHtml(incident(HOSTILE))]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).toContain(escapeHtml(HOSTILE));
    }
    const html = hipaaReportHtml(hipaa(f));
    for (const title of TITLES) expect(html).toContain(title);
  });

  it('allows its own stylesheet by hash and nothing else', () => {
    expect(REPORT_HTML_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(REPORT_HTML_CSP).not.toContain('script-src');
  });
});

describe('PDF', () => {
  it('parses: header, trailer, pages, and the section titles and gaps as text', async () => {
    const f = facts({ adminsWithoutMfa: ['root2'] });
    const pdf = readPdf(await hipaaReportPdf(hipaa(f), { compress: false }));
    expect(pdf.header).toBe('%PDF-1.3');
    expect(pdf.trailer).toBe(true);
    expect(pdf.pages).toBeGreaterThan(1);
    const text = pdf.lines.join('\n');
    for (const title of TITLES) expect(text).toContain(title);
    expect(text).toContain('§164.312(d) Person or entity authentication');
    expect(text).toContain('admins without a second factor: root2');
    expect(text).toContain('Break-glass declarations in the period: 2');
  });

  it('compresses its page streams by default, and they inflate to the same text', async () => {
    const compressed = (await hipaaReportPdf(hipaa(facts()))).toString('latin1');
    expect(compressed).toContain('/FlateDecode');
    const streams = [...compressed.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) => {
      try {
        return inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
      } catch {
        return '';
      }
    });
    const text = readPdf(Buffer.from(streams.join('\n'), 'latin1')).lines.join('\n');
    expect(text).toContain('Transmission security');
  });

  it('draws hostile and non-Latin strings as plain text without failing', async () => {
    const nasty = `${HOSTILE} \u0000\u202e漢字 😀 ) Tj (`;
    const pdf = readPdf(await incidentReportPdf(incident(nasty), { compress: false }));
    expect(pdf.trailer).toBe(true);
    const text = pdf.lines.join('\n');
    expect(text).toContain('Breach-notification clock');
    expect(text).toContain('60 day(s) remaining');
    expect(text).toContain(safe(nasty));
    expect([...safe(nasty)].every((c) => (c >= ' ' && c <= '~') || (c >= '\u00a0' && c <= '\u00ff'))).toBe(true);
  });
});
