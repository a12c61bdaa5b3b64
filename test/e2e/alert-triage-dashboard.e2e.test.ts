// Alert triage in Chromium against a real manager (in-process, SQLite). The alert
// comes the real way: an enrolled agent streams failed logons and then a risk score
// over mutual-TLS gRPC, and the manager raises it. An analyst opens it from the
// Alerts list, sees its reasons (markup stays text), its ATT&CK technique, the
// evidence events and the score chart, acknowledges it, assigns it to another triager, closes
// it as a false positive with a comment, adds a comment to the closed alert, and finds it in
// the list as closed, and under the "closed" filter; the agent is sent the verdict on its score.
// The API answers a stale revision with 409 and a role without `alerts:triage` with 403.
import { Severity, Verdict, type AgentMessage, type Event } from '@wardwatch/proto';
import { AlertDetail, AlertPage } from '@wardwatch/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acks,
  enrollTestAgent,
  eventBatch,
  hello,
  type TestAgent,
  type TestAgentSession,
} from '../../manager/src/testing/test-agent.fixture';
import {
  TEST_ADMIN_PASSWORD,
  startTestManager,
  type TestManager,
} from '../../manager/src/testing/test-manager.fixture';
import { countDialogs, launchChromium, submitSignIn } from '../support/browser';
import { dashboardApi, type DashboardUser } from '../support/dashboard-users';

const USER = 'u_00112233aabbccdd';
const SOURCE_IP = 'ip_0a0b0c0d0e0f1011';
const HOSTILE_REASON = '<img src=x onerror=alert(1)> 6 failed logons for this account within 10m';
const HOSTILE_COMMENT = '<script>alert(2)</script> nurse locked out after the keyboard change';
const MINUTE = 60_000;

describe('alert triage in Chromium', () => {
  let manager: TestManager;
  let browser: Browser;
  let page: Page;
  let agent: TestAgent;
  let session: TestAgentSession;
  let dialogs: { readonly count: number };
  const api = dashboardApi(() => manager);
  let admin = '';
  let analyst: DashboardUser;
  let itStaff: DashboardUser;
  const post = (path: string, body: unknown, cookie: string) => api.call('POST', path, body, cookie);
  const get = (path: string, cookie: string) => api.call('GET', path, undefined, cookie);

  const failedLogon = (id: string, timeMs: number): Event => ({
    id,
    timeMs,
    sequence: 0,
    severity: Severity.SEVERITY_MEDIUM,
    user: USER,
    detail: {
      $case: 'login',
      value: {
        action: 'failed_logon',
        method: 'password',
        service: 'sshd',
        tty: '',
        sourceHost: '',
        sourceIp: SOURCE_IP,
        sourcePort: 0,
        targetUser: USER,
        raw: '',
      },
    },
  });

  beforeAll(async () => {
    [manager, browser] = await Promise.all([startTestManager(), launchChromium()]);
    admin = await api.signIn('admin', TEST_ADMIN_PASSWORD);
    analyst = await api.addUser(admin, 'ana.lyst', 'analyst');
    itStaff = await api.addUser(admin, 'ian.it', 'it_staff');

    // The agent's side: six failed logons, then the score that alerts on them.
    agent = await enrollTestAgent(manager);
    session = agent.open();
    session.send(hello());
    const now = Date.now();
    const windowStart = now - 30 * MINUTE;
    session.send(
      eventBatch(
        1,
        Array.from({ length: 6 }, (_, i) => failedLogon(`fail-${i + 1}`, windowStart + (i + 1) * MINUTE)),
      ),
    );
    await session.waitFor((got) => acks(got).includes(1));
    const scores: AgentMessage = {
      body: {
        $case: 'scores',
        value: {
          sequence: 1,
          scores: [
            {
              id: 'quiet',
              score: 12,
              windowStartMs: windowStart - 60 * MINUTE,
              windowEndMs: windowStart,
              ruleIds: [],
              reasons: [],
            },
            {
              id: 'burst',
              score: 84,
              windowStartMs: windowStart,
              windowEndMs: now,
              ruleIds: ['brute-force'],
              reasons: [{ text: HOSTILE_REASON, source: 'rule', feature: '', ruleId: 'brute-force', value: 6 }],
            },
          ].map((s) => ({
            ...s,
            user: USER,
            threshold: 60,
            severity: Severity.SEVERITY_HIGH,
            modelSource: 'fleet',
            baselineSource: 'user',
            scoredAtMs: now,
            partial: false,
            suspects: [],
          })),
        },
      },
    };
    session.send(scores);
    await session.waitFor((got) => got.some((m) => m.body?.$case === 'scoreAck'));
    page = await browser.newPage();
    dialogs = countDialogs(page);
  }, 60_000);
  afterAll(async () => {
    session?.close();
    agent?.close();
    await browser?.close();
    await manager?.stop();
  });

  it('opens the alert, acknowledges, assigns and closes it with a comment, comments again, and lists it closed', async () => {
    const listed = AlertPage.parse(await (await get('/api/v1/alerts', analyst.cookie)).json());
    expect(listed.items).toHaveLength(1);
    const alertId = listed.items[0].id;

    await page.goto(manager.httpUrl);
    await submitSignIn(page, 'ana.lyst', analyst.password);
    await page.getByTestId('nav-alerts').click();
    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('alert-status').textContent()).toBe('open');
    await row.getByTestId('alert-open').click();

    const detail = page.getByTestId('alert-detail');
    await detail.getByTestId('alert-detail-status').waitFor({ timeout: 15_000 });
    expect(page.url()).toMatch(new RegExp(`#/alerts/${alertId}$`));
    expect(await detail.getByTestId('alert-detail-reason').allTextContents()).toEqual([
      `${HOSTILE_REASON} (rule brute-force)`,
    ]);
    expect(await detail.getByTestId('alert-technique').allTextContents()).toEqual([
      'T1110.001 Brute Force: Password Guessing (credential-access, rule brute-force)',
    ]);
    await expect.poll(() => detail.getByTestId('evidence-event').count()).toBe(6);
    expect(await detail.getByTestId('evidence-event').first().textContent()).toContain(SOURCE_IP);
    expect(await detail.getByTestId('score-chart-point').count()).toBe(2);
    expect(await detail.getByTestId('score-chart-threshold').count()).toBe(1);

    await detail.getByTestId('alert-acknowledge').click();
    await expect.poll(() => detail.getByTestId('alert-detail-status').textContent()).toBe('acknowledged');
    expect(await detail.getByTestId('alert-assignee').textContent()).toBe('ana.lyst');
    // Handed to another triager (the choices are the roles holding `alerts:triage`), and back.
    const assignees = await detail.getByTestId('alert-assignee-select').locator('option').allTextContents();
    expect(assignees).toEqual(expect.arrayContaining(['nobody', 'admin', 'ana.lyst']));
    expect(assignees).not.toContain('ian.it');
    await detail.getByTestId('alert-assignee-select').selectOption('admin');
    await detail.getByTestId('alert-assign').click();
    await expect.poll(() => detail.getByTestId('alert-assignee').textContent()).toBe('admin');
    expect(await detail.getByTestId('alert-assign').isDisabled()).toBe(true);

    // Someone acting on the revision before the acknowledgement is refused, and nothing changes.
    const stale = await post(
      `/api/v1/alerts/${alertId}/transitions`,
      { action: 'close', revision: 1, verdict: 'benign' },
      analyst.cookie,
    );
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toMatch(/now acknowledged/);
    // Bounded and checked at the edge: an unknown verdict, an over-long comment.
    const badVerdict = await post(
      `/api/v1/alerts/${alertId}/transitions`,
      { action: 'close', revision: 2, verdict: 'maybe' },
      analyst.cookie,
    );
    expect(badVerdict.status).toBe(400);
    const longComment = await post(`/api/v1/alerts/${alertId}/comments`, { body: 'x'.repeat(2_001) }, analyst.cookie);
    expect(longComment.status).toBe(400);
    // IT staff may read alerts but not triage them.
    const refused = await post(
      `/api/v1/alerts/${alertId}/transitions`,
      { action: 'close', revision: 2, verdict: 'benign' },
      itStaff.cookie,
    );
    expect(refused.status).toBe(403);

    await detail.getByTestId('alert-verdict').selectOption('false_positive');
    await detail.getByTestId('alert-close-comment').fill(HOSTILE_COMMENT);
    expect(await detail.getByTestId('alert-close').textContent()).toBe('Close as false positive');
    await detail.getByTestId('alert-close').click();
    await expect.poll(() => detail.getByTestId('alert-detail-status').textContent()).toBe('closed · false positive');
    // The agent whose score raised the alert hears the verdict on its open session.
    await session.waitFor((got) => got.some((m) => m.body?.$case === 'scoreVerdicts'));
    const verdicts = session.got.flatMap((m) => (m.body?.$case === 'scoreVerdicts' ? m.body.value.verdicts : []));
    expect(verdicts.map(({ scoreId, user, verdict }) => ({ scoreId, user, verdict }))).toEqual([
      { scoreId: 'burst', user: USER, verdict: Verdict.VERDICT_FALSE_POSITIVE },
    ]);
    await expect.poll(() => detail.getByTestId('alert-comment-body').allTextContents()).toEqual([HOSTILE_COMMENT]);
    expect(await detail.getByTestId('alert-comment-by').first().textContent()).toMatch(/^ana\.lyst, /);
    expect(await detail.getByTestId('alert-acknowledge').count()).toBe(0);
    // A closed alert still takes comments, from the comment form.
    await detail.getByTestId('alert-comment-input').fill('Reviewed with the ward manager.');
    await detail.getByTestId('alert-comment-add').click();
    await expect
      .poll(() => detail.getByTestId('alert-comment-body').allTextContents())
      .toEqual(expect.arrayContaining([HOSTILE_COMMENT, 'Reviewed with the ward manager.']));
    expect(await detail.getByTestId('alert-comment-input').inputValue()).toBe('');

    await detail.getByTestId('alert-back').click();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getByTestId('alert-status').textContent()).toBe('closed · false positive');
    await page.getByTestId('alert-status-filter').selectOption('open');
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(0);
    await page.getByTestId('alert-status-filter').selectOption('closed');
    await row.waitFor({ timeout: 15_000 });

    const stored = AlertDetail.parse(await (await get(`/api/v1/alerts/${alertId}`, analyst.cookie)).json());
    expect(stored.alert).toMatchObject({
      status: 'closed',
      verdict: 'false_positive',
      closedBy: 'ana.lyst',
      assignee: 'admin',
      revision: 4,
    });
    // Each step is in the hash-chained audit log, and the chain holds.
    const audit = (await (await get('/api/v1/audit?limit=50', admin)).json()) as {
      items: { actor: string; action: string; target: string; details: Record<string, unknown> }[];
    };
    expect(
      audit.items
        .filter((r) => r.target === alertId && r.action.startsWith('alert.'))
        .reverse()
        .map((r) => [r.actor, r.action]),
    ).toEqual([
      [`agent:${agent.agentId}`, 'alert.raise'],
      ['ana.lyst', 'alert.acknowledge'],
      ['ana.lyst', 'alert.assign'],
      ['ana.lyst', 'alert.close'],
      ['ana.lyst', 'alert.comment'],
    ]);
    expect(audit.items.find((r) => r.action === 'alert.close')?.details).toMatchObject({
      verdict: 'false_positive',
      comment: HOSTILE_COMMENT,
    });
    expect(await (await get('/api/v1/audit/verify', admin)).json()).toMatchObject({ ok: true });
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(dialogs.count).toBe(0);
  }, 60_000);
});
