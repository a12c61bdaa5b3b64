// What the dashboard needs to write an agent's install command besides the token: the
// gRPC port the manager really bound (it may be chosen by the OS), the CA fingerprint the
// agent pins, and the names the server certificate is made for (so the page can say when the
// address it offers is not one of them).
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AgentInstallInfo } from '@wardwatch/shared';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { GrpcServerHost } from '../grpc/grpc-server.host';
import { AdminOnly } from '../http/route-access';
import { ref } from '../http/openapi';
import { PkiService, serverNames } from '../pki/pki.service';

@ApiTags('enrollment')
@ApiCookieAuth()
@Controller('api/v1/agent-install')
export class AgentInstallController {
  constructor(
    private readonly grpc: GrpcServerHost,
    private readonly pki: PkiService,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
  ) {}

  @AdminOnly()
  @Get()
  @ApiOkResponse({ schema: ref('AgentInstallInfo') })
  info(): AgentInstallInfo {
    return {
      grpcPort: this.grpc.port,
      caFingerprint: this.pki.caFingerprint,
      serverNames: serverNames(this.config.tlsSans),
    };
  }
}
