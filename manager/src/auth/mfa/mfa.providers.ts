// What auth/mfa adds to AuthModule. Registered there, not as a module of its own: the
// password step hands over to it and it starts sessions, so the two share one module.
import type { Provider } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { MfaCrypto } from './mfa-crypto';
import { MfaEnrollmentService } from './mfa-enrollment.service';
import { MfaFactorCheck } from './mfa-factor-check';
import { MfaGate } from './mfa-gate';
import { loadOrCreateMfaKeyring, MFA_KEYRING } from './mfa-keyring';
import { MfaController } from './mfa.controller';
import { MfaRepository } from './mfa.repository';
import { MfaResetController } from './mfa-reset.controller';
import { MfaSignInService } from './mfa-sign-in.service';
import { SecurityKeyController } from './webauthn/security-key.controller';
import { SecurityKeyRepository } from './webauthn/security-key.repository';
import { SecurityKeyService } from './webauthn/security-key.service';
import { WebAuthnCeremony } from './webauthn/webauthn-ceremony';

export const mfaControllers = [MfaController, MfaResetController, SecurityKeyController];

export const mfaProviders: Provider[] = [
  {
    provide: MFA_KEYRING,
    inject: [MANAGER_CONFIG, Clock],
    useFactory: (config: ManagerConfig, clock: Clock) => loadOrCreateMfaKeyring(config.mfa.keyFile, clock.now()),
  },
  MfaCrypto,
  MfaRepository,
  MfaGate,
  MfaFactorCheck,
  MfaEnrollmentService,
  MfaSignInService,
  SecurityKeyRepository,
  WebAuthnCeremony,
  SecurityKeyService,
];
