// The manager's repositories and services on a real database, wired by hand for
// database tests and benches (no Nest application, no ports).
import type { DataSource } from 'typeorm';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AgentRepository } from '../agents/agent.repository';
import { AgentService } from '../agents/agent.service';
import { AlertCommentRepository } from '../alerts/alert-comment.repository';
import { AlertDetailService } from '../alerts/alert-detail.service';
import { AlertTriageService } from '../alerts/alert-triage.service';
import { AlertRepository } from '../alerts/alert.repository';
import { AlertService } from '../alerts/alert.service';
import { RiskScoreRepository } from '../alerts/risk-score.repository';
import { ScoreIngestService } from '../alerts/score-ingest.service';
import { ScoreQueryService } from '../alerts/score-query.service';
import { ScoreVerdictRepository } from '../alerts/verdict-feedback/score-verdict.repository';
import { VerdictFeedbackService } from '../alerts/verdict-feedback/verdict-feedback.service';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { testAuditKeyring } from './fakes/audit.repository.fake';
import { AccountService } from '../auth/account.service';
import { PasswordHasher } from '../auth/password.hasher';
import { SessionRepository } from '../auth/session.repository';
import { SessionRevocations } from '../auth/session-revocations';
import { SessionService } from '../auth/session.service';
import { UserRepository } from '../auth/user.repository';
import { Clock, RandomSource } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { DutyRequestRepository } from '../duty-requests/duty-request.repository';
import { DutyRequestService } from '../duty-requests/duty-request.service';
import { EnrollmentTokenRepository } from '../enrollment/enrollment-token.repository';
import { EnrollmentTokenService } from '../enrollment/enrollment-token.service';
import { EventBus } from '../events/event-bus';
import { EventIngestService } from '../events/event-ingest.service';
import { EventQueryService } from '../events/event-query.service';
import { EventRepository } from '../events/event.repository';
import { JsonLogger } from '../logging/json-logger';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { UsersService } from '../users/users.service';
import { parseConfig } from '../config/config.schema';

export function servicesOn(db: DataSource, clock = new Clock(), random = new RandomSource()) {
  const transactions = new TransactionRunner(db);
  const agentSessions = new AgentSessionsRegistry();
  const repos = {
    agents: new AgentRepository(db),
    alerts: new AlertRepository(db),
    alertComments: new AlertCommentRepository(db),
    audit: new AuditRepository(db),
    enrollmentTokens: new EnrollmentTokenRepository(db),
    events: new EventRepository(db),
    scores: new RiskScoreRepository(db),
    scoreVerdicts: new ScoreVerdictRepository(db),
    sessions: new SessionRepository(db),
    users: new UserRepository(db),
    dutyRequests: new DutyRequestRepository(db),
  };
  const audit = new AuditService(repos.audit, transactions, clock, testAuditKeyring());
  const alerts = new AlertService(repos.alerts, audit, clock, random);
  const bus = new EventBus();
  const sessions = new SessionService(
    parseConfig({}, '/'),
    repos.sessions,
    repos.users,
    new SessionRevocations(),
    clock,
    random,
  );
  const accounts = new AccountService(repos.users, sessions);
  const eventQuery = new EventQueryService(repos.events);
  const verdictFeedback = new VerdictFeedbackService(
    repos.scoreVerdicts,
    agentSessions,
    clock,
    new JsonLogger('error', { write: () => undefined }),
  );
  return {
    transactions,
    repos,
    sessions,
    audit,
    alerts,
    bus,
    agentSessions,
    verdictFeedback,
    agents: new AgentService(repos.agents, transactions, clock, audit, agentSessions),
    enrollmentTokens: new EnrollmentTokenService(repos.enrollmentTokens, transactions, clock, random, audit),
    eventIngest: new EventIngestService(
      repos.events,
      transactions,
      bus,
      clock,
      new ManagerMetrics(),
      parseConfig({}, '/'),
    ),
    eventQuery,
    alertTriage: new AlertTriageService(
      repos.alerts,
      repos.alertComments,
      accounts,
      transactions,
      audit,
      clock,
      random,
      verdictFeedback,
    ),
    alertDetail: new AlertDetailService(repos.alerts, repos.alertComments, repos.scores, eventQuery, accounts),
    scoreIngest: new ScoreIngestService(repos.scores, alerts, transactions, clock, { alerts: { threshold: 60 } }),
    scoreQuery: new ScoreQueryService(repos.scores),
    // As a single-person site: grants take effect at once (the second-person rule: duty-requests.http.test.ts).
    users: new UsersService(
      accounts,
      transactions,
      new PasswordHasher(),
      audit,
      clock,
      random,
      new DutyRequestService(repos.dutyRequests, transactions, audit, clock, random, {
        duties: { ...parseConfig({}, '/').duties, singlePersonReason: 'a single-person test site' },
      }),
    ),
  };
}
