import { DomainError } from '../common/domain-error';

export type StaffRoleErrorCode = 'not_found';

export class StaffRoleError extends DomainError {
  declare readonly code: StaffRoleErrorCode;
  constructor(code: StaffRoleErrorCode, message: string) {
    super(code, message, 'not_found');
  }
}
