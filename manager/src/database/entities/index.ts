import { AgentEntity } from './agent.entity';
import { AlertEntity } from './alert.entity';
import { AuditLogEntity } from './audit-log.entity';
import { EnrollmentTokenEntity } from './enrollment-token.entity';
import { EventEntity } from './event.entity';
import { RiskScoreEntity } from './risk-score.entity';
import { SessionEntity } from './session.entity';
import { UserEntity } from './user.entity';

export {
  AgentEntity,
  AlertEntity,
  AuditLogEntity,
  EnrollmentTokenEntity,
  EventEntity,
  RiskScoreEntity,
  SessionEntity,
  UserEntity,
};
export const entities = [
  AgentEntity,
  AlertEntity,
  AuditLogEntity,
  EnrollmentTokenEntity,
  EventEntity,
  RiskScoreEntity,
  SessionEntity,
  UserEntity,
];
