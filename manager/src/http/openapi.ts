// OpenAPI for /api/v1 at /api/docs. The shapes come from the shared zod schemas
// (z.toJSONSchema), so the document cannot drift from what the API validates.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import * as api from '@wardwatch/shared';
import { z } from 'zod';

const schemas = {
  LoginRequest: api.LoginRequest,
  CurrentUser: api.CurrentUser,
  SsoStatus: api.SsoStatus,
  SsoIdentityRequest: api.SsoIdentityRequest,
  SsoIdentityView: api.SsoIdentityView,
  SsoIdentityList: api.SsoIdentityList,
  AgentView: api.AgentView,
  AgentPage: api.AgentPage,
  UpdateAgentRequest: api.UpdateAgentRequest,
  SetStaffRoleRequest: api.SetStaffRoleRequest,
  StaffRoleView: api.StaffRoleView,
  StaffRolePage: api.StaffRolePage,
  CreateDestinationRequest: api.CreateDestinationRequest,
  UpdateDestinationRequest: api.UpdateDestinationRequest,
  DestinationView: api.DestinationView,
  DestinationList: api.DestinationList,
  DeadLetterList: api.DeadLetterList,
  TestDeliveryResult: api.TestDeliveryResult,
  PlaybookDefinition: api.PlaybookDefinition,
  PlaybookUpdateRequest: api.PlaybookUpdateRequest,
  PlaybookView: api.PlaybookView,
  PlaybookList: api.PlaybookList,
  PolicyView: api.PolicyView,
  PolicyList: api.PolicyList,
  PolicyCreateRequest: api.PolicyCreateRequest,
  AgentPolicyView: api.AgentPolicyView,
  AgentPolicyList: api.AgentPolicyList,
  AgentPolicyPinRequest: api.AgentPolicyPinRequest,
  AgentCanaryRequest: api.AgentCanaryRequest,
  PolicyRolloutView: api.PolicyRolloutView,
  PolicyRolloutAnswer: api.PolicyRolloutAnswer,
  PolicyRolloutPromoteRequest: api.PolicyRolloutPromoteRequest,
  UnitTierList: api.UnitTierList,
  EventView: api.EventView,
  EventPage: api.EventPage,
  EventActionFacets: api.EventActionFacets,
  AlertView: api.AlertView,
  AlertPage: api.AlertPage,
  AlertDetail: api.AlertDetail,
  IncidentList: api.IncidentList,
  IncidentDetail: api.IncidentDetail,
  HipaaReport: api.HipaaReport,
  IncidentReport: api.IncidentReport,
  OverviewView: api.OverviewView,
  RiskTrend: api.RiskTrend,
  AlertTransitionRequest: api.AlertTransitionRequest,
  AlertCommentRequest: api.AlertCommentRequest,
  AlertCommentView: api.AlertCommentView,
  ScoreView: api.ScoreView,
  ScorePage: api.ScorePage,
  EnrollmentTokenRequest: api.EnrollmentTokenRequest,
  EnrollmentTokenView: api.EnrollmentTokenView,
  EnrollmentTokenList: api.EnrollmentTokenList,
  AgentInstallInfo: api.AgentInstallInfo,
  Health: api.Health,
  UserView: api.UserView,
  UserList: api.UserList,
  CreateUserRequest: api.CreateUserRequest,
  CreatedUser: api.CreatedUser,
  ChangeRoleRequest: api.ChangeRoleRequest,
  SessionsEnded: api.SessionsEnded,
  DutyRequestView: api.DutyRequestView,
  DutyRequestList: api.DutyRequestList,
  DutyDenyRequest: api.DutyDenyRequest,
  ReidentificationAsk: api.ReidentificationAsk,
  ChangePasswordRequest: api.ChangePasswordRequest,
  ReidentifyMatchRequest: api.ReidentifyMatchRequest,
  ReidentifyMatchResult: api.ReidentifyMatchResult,
  PseudonymLookupRequest: api.PseudonymLookupRequest,
  PseudonymLookupResult: api.PseudonymLookupResult,
  ApprovalView: api.ApprovalView,
  ApprovalPage: api.ApprovalPage,
  ApprovalDetail: api.ApprovalDetail,
  ApproveRequest: api.ApproveRequest,
  RejectRequest: api.RejectRequest,

  CommandView: api.CommandView,
  CommandPage: api.CommandPage,
  IssueCommandRequest: api.IssueCommandRequest,
  UndoCommandRequest: api.UndoCommandRequest,
  CommandKeyRotation: api.CommandKeyRotation,
  MaintenanceCodeRequest: api.MaintenanceCodeRequest,
  MaintenanceCodeView: api.MaintenanceCodeView,
  LoginResponse: api.LoginResponse,
  MfaVerifyRequest: api.MfaVerifyRequest,
  MfaCodeRequest: api.MfaCodeRequest,
  MfaStatus: api.MfaStatus,
  MfaEnrollment: api.MfaEnrollment,
  RecoveryCodes: api.RecoveryCodes,
  SecurityKey: api.SecurityKey,
  SecurityKeyRegistered: api.SecurityKeyRegistered,
  SecurityKeys: api.SecurityKeys,
  SecurityKeyCreationOptions: api.SecurityKeyCreationOptions,
  SecurityKeyRequestOptions: api.SecurityKeyRequestOptions,
  SecurityKeyRegistrationRequest: api.SecurityKeyRegistrationRequest,
  SecurityKeyOptionsRequest: api.SecurityKeyOptionsRequest,
  SecurityKeySignInRequest: api.SecurityKeySignInRequest,
  FreshSecondFactor: api.FreshSecondFactor,
  KekList: api.KekList,
  KekRotation: api.KekRotation,
  KekRevokeRequest: api.KekRevokeRequest,
  KekRevocation: api.KekRevocation,
} as const;

export type SchemaName = keyof typeof schemas;

/** A reference to one of the shared schemas, for @ApiBody / @ApiOkResponse. */
export const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

export function setupOpenApi(app: INestApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('WardWatch manager API')
    .setDescription(
      'REST API v1. Sign in with POST /api/v1/auth/login; the session travels in the httpOnly cookie ww_session.',
    )
    .setVersion(version)
    .addCookieAuth('ww_session')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = document.components ?? {};
  document.components.schemas = document.components.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    document.components.schemas[name] = json;
  }
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
