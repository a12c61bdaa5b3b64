// Hosts the agents' gRPC server inside the Nest lifecycle: bound when the app
// starts, drained and closed when it stops.
//
// A plain grpc-js Server with the ts-proto generated AgentServiceService, not
// @nestjs/microservices: its gRPC transport loads the .proto at run time through
// proto-loader, a second, untyped flavour of the contract beside the one the agent
// uses, and measured slower here (370–530k vs 560–750k events/s on loopback).
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Server } from '@grpc/grpc-js';
import {
  AgentServiceService,
  EnrollRequest,
  EvaluatePseudonymsRequest,
  RenewRequest,
  RewrapDataKeysRequest,
  SealingKeyRequest,
  UnwrapDataKeyRequest,
  type AgentServiceServer,
} from '@wardwatch/proto';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import { AgentService } from '../agents/agent.service';
import { ScoreIngestService } from '../alerts/score-ingest.service';
import { VerdictFeedbackService } from '../alerts/verdict-feedback/verdict-feedback.service';
import { CommandKeysService } from '../commands/command-keys.service';
import { CommandSessionPort } from '../commands/command-session.port';
import { PolicySessionPort } from '../policies/policy-session.port';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { EnrollmentService } from '../enrollment/enrollment.service';
import { RenewalService } from '../enrollment/renewal.service';
import { EventIngestService } from '../events/event-ingest.service';
import { FleetModelStore } from '../fleet-model/fleet-model.store';
import { JsonLogger } from '../logging/json-logger';
import { PkiService } from '../pki/pki.service';
import { IntakeService } from '../intake/intake.service';
import { KeyService } from '../keys/key.service';
import { PseudonymOracleService } from '../pseudonym-oracle/pseudonym-oracle.service';
import { screenAgentMessage } from './agent-message.screen';
import { createSessionHandler } from './agent-session.grpc';
import { createEnrollHandler } from './enroll.grpc';
import { createEvaluatePseudonymsHandler } from './evaluate-pseudonyms.grpc';
import { createRenewHandler } from './renew.grpc';
import { createSealingHandlers } from './sealing-keys.grpc';
import { createAgentServerCredentials } from './server-credentials';
import { decodeOrMark, refuseUndecodable } from './undecodable-request';

const SHUTDOWN_GRACE_MS = 3_000;

@Injectable()
export class GrpcServerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: Server | undefined;
  private boundPort = 0;
  private readonly log: JsonLogger;

  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
    private readonly pki: PkiService,
    private readonly enrollment: EnrollmentService,
    private readonly agents: AgentService,
    private readonly ingest: EventIngestService,
    private readonly sessions: AgentSessionsRegistry,
    private readonly clock: Clock,
    logger: JsonLogger,
    private readonly scores: ScoreIngestService,
    private readonly fleetModel: FleetModelStore,
    private readonly intake: IntakeService,
    private readonly renewal: RenewalService,
    private readonly commands: CommandSessionPort,
    private readonly commandKeys: CommandKeysService,
    private readonly keys: KeyService,
    private readonly policies: PolicySessionPort,
    private readonly oracle: PseudonymOracleService,
    private readonly verdicts: VerdictFeedbackService,
  ) {
    this.log = logger.child('grpc');
  }

  get port(): number {
    return this.boundPort;
  }

  /** True from the moment the port is bound until shutdown begins (readiness asks). */
  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Binds the port only: writes that follow a start (agents offline) wait for both ports, see manager.app.ts. */
  async onApplicationBootstrap(): Promise<void> {
    const server = new Server({
      // Refused by grpc-js before it is decoded (RESOURCE_EXHAUSTED).
      'grpc.max_receive_message_length': this.config.intake.maxMessageBytes,
      // Agents ping every 30 s; allow that without calling it abuse.
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.http2.min_ping_interval_without_data_ms': 10_000,
      // A stream whose agent vanished (no FIN) is dropped within ~40 s.
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    });
    const checks = {
      issuedByUs: (der: Buffer, now: number) => this.pki.issuedByUs(der, now),
      findAgent: (id: string) => this.agents.find(id),
      now: () => this.clock.now(),
    };
    const pinnedKeys = () => this.commandKeys.pinned();
    const sealing = createSealingHandlers({ checks, keys: this.keys, log: this.log });
    const impl: AgentServiceServer = {
      enroll: createEnrollHandler(this.enrollment, this.log, pinnedKeys),
      session: createSessionHandler({
        checks,
        agents: this.agents,
        ingest: this.ingest,
        scores: this.scores,
        fleetModel: this.fleetModel,
        sessions: this.sessions,
        intake: this.intake,
        commands: this.commands,
        policies: this.policies,
        verdicts: this.verdicts,
        log: this.log,
      }),
      renew: createRenewHandler({ checks, renewal: this.renewal, log: this.log, pinnedKeys }),
      ...sealing,
      evaluatePseudonyms: createEvaluatePseudonymsHandler({ checks, oracle: this.oracle, log: this.log }),
    };
    // The Session's messages are screened against the batch caps before they are decoded;
    // a unary request that does not decode is the caller's fault (INVALID_ARGUMENT), not ours.
    const caps = this.config.intake;
    server.addService(
      {
        ...AgentServiceService,
        enroll: { ...AgentServiceService.enroll, requestDeserialize: decodeOrMark((b) => EnrollRequest.decode(b)) },
        session: { ...AgentServiceService.session, requestDeserialize: (buf: Buffer) => screenAgentMessage(buf, caps) },
        renew: { ...AgentServiceService.renew, requestDeserialize: decodeOrMark((b) => RenewRequest.decode(b)) },
        getSealingKey: {
          ...AgentServiceService.getSealingKey,
          requestDeserialize: decodeOrMark((b) => SealingKeyRequest.decode(b)),
        },
        unwrapDataKey: {
          ...AgentServiceService.unwrapDataKey,
          requestDeserialize: decodeOrMark((b) => UnwrapDataKeyRequest.decode(b)),
        },
        rewrapDataKeys: {
          ...AgentServiceService.rewrapDataKeys,
          requestDeserialize: decodeOrMark((b) => RewrapDataKeysRequest.decode(b)),
        },
        evaluatePseudonyms: {
          ...AgentServiceService.evaluatePseudonyms,
          requestDeserialize: decodeOrMark((b) => EvaluatePseudonymsRequest.decode(b)),
        },
      },
      {
        ...impl,
        enroll: refuseUndecodable(impl.enroll),
        renew: refuseUndecodable(impl.renew),
        getSealingKey: refuseUndecodable(impl.getSealingKey),
        unwrapDataKey: refuseUndecodable(impl.unwrapDataKey),
        rewrapDataKeys: refuseUndecodable(impl.rewrapDataKeys),
        evaluatePseudonyms: refuseUndecodable(impl.evaluatePseudonyms),
      },
    );
    const creds = createAgentServerCredentials({
      caPem: this.pki.caPem,
      serverCertPem: this.pki.server.certPem,
      serverKeyPem: this.pki.server.keyPem,
    });
    const address = `${this.config.grpc.host.includes(':') ? `[${this.config.grpc.host}]` : this.config.grpc.host}:${this.config.grpc.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, creds, (error, port) =>
        error ? reject(new Error(`cannot listen for agents on ${address}: ${error.message}`)) : resolve(port),
      ),
    );
    // The TLS material reaches the server on the next turn (see server-credentials.ts).
    await new Promise((resolve) => setImmediate(resolve));
    this.server = server;
    this.log.info('grpc listening', { host: this.config.grpc.host, port: this.boundPort });
  }

  /** Before the database closes: the streams end and mark their agents offline first. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.sessions.closeEverything('the manager is shutting down');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    await this.sessions.endingsSettled();
  }
}
