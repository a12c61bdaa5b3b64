// Builds and starts the whole manager: PKI, database (migrations), admin account,
// HTTP (REST, OpenAPI, dashboard) and the agents' gRPC port. Used by `serve` and by tests.
//
// Start order: both ports are taken before anything is written to the database, so
// a second manager started by mistake on the same ports and data fails without
// touching the running one's agents; a failed start closes what it opened.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AgentService } from './agents/agent.service';
import { AppModule } from './app.module';
import { ApprovalExpiryJob } from './approvals/approval-expiry.job';
import { ForwardingJob } from './forwarding/forwarding.job';
import { AdminBootstrapService, type BannerWriter } from './auth/admin-bootstrap.service';
import type { CommandIssuer } from './commands/command-issuer';

import { CommandExpiryJob } from './commands/command-expiry.job';
import type { ManagerConfig } from './config/config.schema';
import { refuseBodyOnReads } from './http/no-body-on-reads';
import { dashboardStatic, defaultDashboardDir } from './dashboard-static/dashboard-static';
import { secureDataFolder } from './data-folder/data-folder';
import { GrpcServerHost } from './grpc/grpc-server.host';
import { setupOpenApi } from './http/openapi';
import { securityHeaders } from './http/security-headers';
import { NestJsonLogger, type JsonLogger } from './logging/json-logger';
import { ensurePki } from './pki/pki.service';
import { PkiStore } from './pki/pki.store';
import { RetentionJob } from './retention/retention.job';
import { SilentAgentsJob } from './silent-agents/silent-agents.job';
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
  const app = await NestFactory.create<INestApplication<Server>>(
    AppModule.register({ config, logger, pki, banner, commandIssuer: options.commandIssuer }),
    {
      logger: new NestJsonLogger(logger),
      // Open SSE responses must not keep the HTTP server from closing.
      forceCloseConnections: true,
      bodyParser: true,
      // A failed start is reported once, by the caller, not logged here and again there.
      abortOnError: false,
    },
  );
  try {
    (app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
    app.use(securityHeaders);
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
    app.get(ApprovalExpiryJob).start();

    app.get(CommandExpiryJob).start();
    app.get(ForwardingJob).start();

    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      app,
      httpUrl: `http://${host}:${address.port}`,
      grpcPort: app.get(GrpcServerHost).port,
      caFingerprint: pki.caFingerprint,
      close: () => app.close(),
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** Listens without Nest's own error log line, so that the caller reports the failure once. */
function listen(server: Server, port: number, host: string): Promise<void> {
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
