// Builds and starts the whole manager: PKI, database (migrations), admin account,
// HTTP (REST, OpenAPI, dashboard) and the agents' gRPC port. Used by `serve` and by tests.
//
// Start order: both ports are taken before anything is written to the database, so
// a second manager started by mistake on the same ports and data fails without
// touching the running one's agents; a failed start closes what it opened.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AgentService } from './agents/agent.service';
import { AppModule } from './app.module';
import { AuditVerifyJob } from './audit-verification/audit-verify.job';
import { ApprovalExpiryJob } from './approvals/approval-expiry.job';
import { DutyRequestExpiryJob } from './duty-requests/duty-request-expiry.job';
import { ForwardingService } from './forwarding/forwarding.service';
import { ForwardingJob } from './forwarding/forwarding.job';
import { AdminBootstrapService, type BannerWriter } from './auth/admin-bootstrap.service';
import type { CommandIssuer } from './commands/command-issuer';
import { AuditService } from './audit/audit.service';
import { SessionService } from './auth/session.service';
import { CommandExpiryJob } from './commands/command-expiry.job';
import type { ManagerConfig } from './config/config.schema';
import { refuseBodyOnReads } from './http/no-body-on-reads';
import { dashboardStatic, defaultDashboardDir } from './dashboard-static/dashboard-static';
import { secureDataFolder } from './data-folder/data-folder';
import { GrpcServerHost } from './grpc/grpc-server.host';
import { setupOpenApi } from './http/openapi';
import { httpsOptionsFor, TlsFilesError, type HttpsOptions } from './http/https-options';
import { securityHeaders } from './http/security-headers';
import { NestJsonLogger, type JsonLogger } from './logging/json-logger';
import { ensurePki, type PkiMaterial } from './pki/pki.service';
import { PkiStore } from './pki/pki.store';
import { IncidentFlushJob } from './incidents/incident-flush.job';
import { RetentionJob } from './retention/retention.job';
import { CrossOriginReporter } from './same-origin/cross-origin.reporter';
import { sameOrigin } from './same-origin/same-origin.middleware';
import { SilentAgentsJob } from './silent-agents/silent-agents.job';
import { BlindAgentsJob } from './blind-agents/blind-agents.job';
import { PolicyTiersJob } from './policies/threat-tiers/policy-tiers.job';
import { EvaluationAuditJob } from './pseudonym-oracle/evaluation-audit.job';
import { MANAGER_VERSION } from './version';

export interface RunningManager {
  app: INestApplication;
  httpUrl: string;
  grpcPort: number;
  caFingerprint: string;
  close(): Promise<void>;
}

export interface StartManagerOptions {
  dashboardDir?: string;
  banner?: BannerWriter;
  /** Tests only: the issuer approved proposals go out through (default: the app's own). */
  commandIssuer?: CommandIssuer;
}

/** A start that failed for a reason the operator can act on; its message is that reason, in one line. */
export class StartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartError';
  }
}

export async function startManager(
  config: ManagerConfig,
  logger: JsonLogger,
  options: StartManagerOptions = {},
): Promise<RunningManager> {
  secureDataFolder(config.dataDir);
  const pki = await ensurePki(new PkiStore(config.dataDir), config.tlsSans, Date.now(), () => randomBytes(32));
  const banner = options.banner ?? { write: (text: string) => process.stdout.write(text) };
  const httpsOptions = tlsOptionsOrStartError(config, pki);
  const tls = httpsOptions !== undefined;
  const app = await NestFactory.create<INestApplication<Server>>(
    AppModule.register({ config, logger, pki, banner, commandIssuer: options.commandIssuer }),
    {
      logger: new NestJsonLogger(logger),
      // Open SSE responses must not keep the HTTP server from closing.
      forceCloseConnections: true,
      bodyParser: true,
      // A failed start is reported once, by the caller, not logged here and again there.
      abortOnError: false,
      httpsOptions,
    },
  );
  try {
    (app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
    app.use(securityHeaders({ tls }));
    // Before the body parsers and routes: a forged write is refused unread.
    app.use(
      sameOrigin(
        { scheme: tls ? 'https' : 'http', allowedOrigins: config.http.allowedOrigins },
        new CrossOriginReporter(app.get(SessionService), app.get(AuditService), logger.child('http')),
      ),
    );
    app.use(refuseBodyOnReads);
    app.use(dashboardStatic(options.dashboardDir ?? defaultDashboardDir));
    setupOpenApi(app, MANAGER_VERSION);
    await app.init().catch((error: unknown) => {
      throw portError(error, /cannot listen for agents on (\S+):/, "the agents' gRPC port");
    });
    const server = app.getHttpServer();
    await listen(server, config.http.port, config.http.host).catch((error: unknown) => {
      throw portError(error, /()/, `the HTTP port ${config.http.host}:${config.http.port}`);
    });

    // Both ports are ours: now the writes a start makes.
    await app.get(AgentService).markAllOffline();
    await app.get(AdminBootstrapService).ensureAdmin();
    app.get(RetentionJob).start();
    app.get(SilentAgentsJob).start();
    app.get(BlindAgentsJob).start();
    app.get(IncidentFlushJob).start();
    app.get(ApprovalExpiryJob).start();
    app.get(DutyRequestExpiryJob).start();

    app.get(CommandExpiryJob).start();
    // Verified (and checkpointed) once now, so the status is known soon after a start.
    app.get(AuditVerifyJob).start();
    void app.get(AuditVerifyJob).tick();
    await app.get(ForwardingService).sealStoredSecrets();
    app.get(ForwardingJob).start();
    app.get(PolicyTiersJob).start();
    app.get(EvaluationAuditJob).start();

    return {
      app,
      httpUrl: dashboardUrl(server, tls),
      grpcPort: app.get(GrpcServerHost).port,
      caFingerprint: pki.caFingerprint,
      close: () => app.close(),
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

function tlsOptionsOrStartError(config: ManagerConfig, pki: PkiMaterial): HttpsOptions | undefined {
  try {
    return httpsOptionsFor(config.http.tls, pki);
  } catch (error) {
    throw error instanceof TlsFilesError ? new StartError(error.message, { cause: error }) : error;
  }
}

/**
 * Where this host's browser reaches the dashboard: a wildcard bind is named by the loopback
 * address of its family, which the manager's own server certificate also names.
 */
function dashboardUrl(server: NetServer, tls: boolean): string {
  const address = server.address() as AddressInfo;
  const ip = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  const host = address.family === 'IPv6' ? `[${ip}]` : ip;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}

/** Listens without Nest's own error log line, so that the caller reports the failure once. */
function listen(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function portError(error: unknown, where: RegExp, what: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const taken = /EADDRINUSE/.test(message);
  const denied = /EACCES/.test(message);
  if (!taken && !denied) return error;
  const named = where.exec(message)?.[1];
  const subject = named ? `${what} ${named}` : what;
  return new StartError(
    taken
      ? `${subject} is already in use (is another WardWatch manager running?)`
      : `${subject} may not be opened by this user (ports below 1024 need privileges)`,
    { cause: error },
  );
}
