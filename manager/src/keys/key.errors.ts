import { DomainError, type ErrorStatus } from '../common/domain-error';

export type KeyErrorCode =
  | 'not_found' // no such agent, key or version (or not this agent's)
  | 'agent_revoked'
  | 'kek_revoked'
  | 'wrong_key' // the wrapped data key does not open under that KEK version for that file
  | 'master_key_mismatch'; // the row was sealed under another master key

const statusOf: Record<KeyErrorCode, ErrorStatus> = {
  not_found: 'not_found',
  agent_revoked: 'conflict',
  kek_revoked: 'forbidden',
  wrong_key: 'bad_request',
  master_key_mismatch: 'conflict',
};

export class KeyError extends DomainError {
  declare readonly code: KeyErrorCode;
  constructor(code: KeyErrorCode, message: string) {
    super(code, message, statusOf[code]);
  }
}
