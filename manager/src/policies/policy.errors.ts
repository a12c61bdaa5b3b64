import { DomainError, type ErrorStatus } from '../common/domain-error';

export type PolicyErrorCode = 'not_found' | 'version_conflict' | 'invalid' | 'agent_revoked' | 'rollout_state';

const STATUS: Record<PolicyErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  version_conflict: 'conflict',
  invalid: 'bad_request',
  agent_revoked: 'conflict',
  rollout_state: 'conflict',
};

export class PolicyError extends DomainError {
  declare readonly code: PolicyErrorCode;
  constructor(code: PolicyErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
