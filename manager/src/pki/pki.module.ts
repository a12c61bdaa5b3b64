import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PkiService, type PkiMaterial } from './pki.service';

/**
 * The loaded PKI (CA, server certificate, site pseudonym key) for enrollment, the gRPC
 * port and re-identification. The files are loaded or created before the application
 * is built (`ensurePki`), so the module is given the material.
 */
@Global()
@Module({})
export class PkiModule {
  static register(material: PkiMaterial, agentLifetimeMs?: number): DynamicModule {
    return {
      module: PkiModule,
      providers: [{ provide: PkiService, useValue: new PkiService(material, agentLifetimeMs) }],
      exports: [PkiService],
    };
  }
}
