// Builds and starts the whole manager: PKI, database (migrations), admin account,
// HTTP (REST, OpenAPI, dashboard) and the agents' gRPC port. Used by `serve` and by tests.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AppModule } from './app.module';
import { AdminBootstrapService, type BannerWriter } from './auth/admin-bootstrap.service';
import type { ManagerConfig } from './config/config.schema';
import { dashboardStatic, defaultDashboardDir } from './dashboard-static/dashboard-static';
import { GrpcServerHost } from './grpc/grpc-server.host';
import { setupOpenApi } from './http/openapi';
import { securityHeaders } from './http/security-headers';
import { NestJsonLogger, type JsonLogger } from './logging/json-logger';
import { ensurePki } from './pki/pki.service';
import { PkiStore } from './pki/pki.store';
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
}

export async function startManager(
  config: ManagerConfig,
  logger: JsonLogger,
  options: StartManagerOptions = {},
): Promise<RunningManager> {
  const pki = await ensurePki(new PkiStore(config.dataDir), config.tlsSans, Date.now(), () => randomBytes(32));
  const banner = options.banner ?? { write: (text: string) => process.stdout.write(text) };
  const app = await NestFactory.create<INestApplication<Server>>(AppModule.register({ config, logger, pki, banner }), {
    logger: new NestJsonLogger(logger),
    // Open SSE responses must not keep the HTTP server from closing.
    forceCloseConnections: true,
    bodyParser: true,
  });
  (app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
  app.use(securityHeaders);
  app.use(dashboardStatic(options.dashboardDir ?? defaultDashboardDir));
  setupOpenApi(app, MANAGER_VERSION);
  await app.init();
  await app.get(AdminBootstrapService).ensureAdmin();
  await app.listen(config.http.port, config.http.host);

  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    httpUrl: `http://${host}:${address.port}`,
    grpcPort: app.get(GrpcServerHost).port,
    caFingerprint: pki.caFingerprint,
    close: () => app.close(),
  };
}
