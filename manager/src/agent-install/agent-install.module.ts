import { Module } from '@nestjs/common';
import { GrpcModule } from '../grpc/grpc.module';
import { AgentInstallController } from './agent-install.controller';

/** The install command's parameters; a folder of its own because it reads the gRPC port (GrpcModule imports that one). */
@Module({ imports: [GrpcModule], controllers: [AgentInstallController] })
export class AgentInstallModule {}
