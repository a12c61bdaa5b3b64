// The one place the dashboard talks to the manager's REST API. Every response body
// is checked against the shared zod schema; a mismatch is an error the page shows,
// never data it renders. Any 401 outside sign-in hands control back to sign-in.
import {
  AgentInstallInfo,
  AgentPage,
  EnrollmentTokenList,
  EnrollmentTokenView,
  AgentView,
  AlertCommentView,
  AlertDetail,
  AlertPage,
  AlertView,
  AuditPage,
  AuditStatus,
  IncidentDetail,
  IncidentList,
  HipaaReport,
  OverviewView,
  RiskTrend,
  ApprovalDetail,
  ApprovalPage,
  ApprovalView,
  CommandPage,
  CreatedUser,
  CurrentUser,
  DeadLetterList,
  DestinationList,
  DestinationView,
  TestDeliveryResult,
  DutyRequestList,
  DutyRequestView,
  PolicyRolloutAnswer,
  PolicyRolloutView,
  EventActionFacets,
  SsoStatus,
  EventPage,
  Health,
  PlaybookList,
  PlaybookView,
  AgentPolicyList,
  AgentPolicyView,
  PolicyList,
  PolicyView,
  IssuedCommandView,
  LoginResponse,
  MfaEnrollment,
  MfaStatus,
  RecoveryCodes,
  SecurityKeyRegistered,
  SecurityKeyCreationOptions,
  SecurityKeyRequestOptions,
  SecurityKeys,
  PseudonymLookupResult,
  ReidentifyMatchResult,
  SessionsEnded,
  StaffRolePage,
  StaffRoleView,
  UserList,
  UserView,
  type ApprovalListState,
  type DutyRequestState,
  type ReidentificationAsk,
  type OverviewRange,
  type RiskSubjectKind,
  type AlertStatus,
  type AlertTransitionRequest,
  type ChangePasswordRequest,
  type ClinicalRole,
  type CreateUserRequest,
  type UpdateDestinationRequest,
  type IssueCommandRequest,
  type AuthenticationCredential,
  type FreshSecondFactor,
  type LoginRequest,
  type RegistrationCredential,
  type PlaybookUpdateRequest,
  type PolicyCreateRequest,
  type PolicyRolloutPromoteRequest,
  type PseudonymLookupRequest,
  type ReidentifyMatchRequest,
  type UpdateAgentRequest,
  type UserRole,
} from '@wardwatch/shared';
import type { z } from 'zod';
import { auditQuery, type AuditFilterForm } from '../audit/audit-filter';
import { filterToQuery, type EventFilter } from '../events/event-filter';
import type { DestinationDraft } from '../integrations/destination-form';
import { BACKGROUND_HEADER, isBackground } from './background-requests';

export type ApiErrorKind = 'unauthorized' | 'rate-limited' | 'bad-response' | 'http' | 'network';

/** One field the manager refused, by its path in the request body (`config.url`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    /** A refused form's fields, as the manager named them; empty for any other failure. */
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Called on a 401 from any call but sign-in: the session is gone. */
  onUnauthorized: () => void;
  fetchImpl?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

const BASE = '/api/v1';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function createApiClient(options: ApiClientOptions) {
  const fetchImpl = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(method: Method, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetchImpl(`${BASE}${path}`, {
        method,
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(isBackground() ? { [BACKGROUND_HEADER]: '1' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('network', `Cannot reach the manager (${method} ${BASE}${path}). Check that it is running.`);
    }
  }

  /** Throws the ApiError an unsuccessful answer means; a 401 outside sign-in ends the session. */
  async function refuseFailure(response: Response, method: Method, path: string, isSignIn = false): Promise<void> {
    if (response.status === 401) {
      if (!isSignIn) options.onUnauthorized();
      throw new ApiError(
        'unauthorized',
        isSignIn ? 'Wrong username or password.' : 'Your session has ended. Please sign in again.',
        401,
      );
    }
    if (response.status === 429) {
      throw new ApiError('rate-limited', `Too many attempts. ${retryText(response.headers.get('retry-after'))}`, 429);
    }
    if (!response.ok) {
      // The manager's own words (e.g. which field of a form is wrong), shown as text.
      const { said, problems } = await serverAnswer(response);
      throw new ApiError(
        'http',
        `The manager answered ${method} ${BASE}${path} with HTTP ${response.status}${said ? `: ${said}` : '.'}`,
        response.status,
        problems,
      );
    }
  }

  /**
   * For a step that needs a second factor: a refusal (a wrong code, a key not accepted) is shown
   * in the manager's own words alone, else as `doing` failed; a 401 still ends the session.
   */
  async function refuseInManagersWords(response: Response, doing: string): Promise<void> {
    if (response.status === 401) options.onUnauthorized();
    if (!response.ok) {
      const { said } = await serverAnswer(response);
      throw new ApiError('http', said || `${doing} failed with HTTP ${response.status}.`, response.status);
    }
  }

  async function request<T>(
    schema: z.ZodType<T>,
    method: Method,
    path: string,
    body?: unknown,
    isSignIn = false,
  ): Promise<T> {
    const response = await send(method, path, body);
    await refuseFailure(response, method, path, isSignIn);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new ApiError(
        'bad-response',
        `The manager answered ${method} ${BASE}${path} with a body that is not JSON.`,
        response.status,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
        .join('; ');
      throw new ApiError(
        'bad-response',
        `The manager's answer to ${method} ${BASE}${path} does not match the API contract: ${issues}`,
        response.status,
      );
    }
    return parsed.data;
  }

  return {
    /** Signed in, or a second factor is due (then `mfaVerify` with the pending token). */
    login: (credentials: LoginRequest) => request(LoginResponse, 'POST', '/auth/login', credentials, true),
    async mfaVerify(pendingToken: string, code: string): Promise<CurrentUser> {
      try {
        return await request(CurrentUser, 'POST', '/auth/mfa/verify', { pendingToken, code }, true);
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'unauthorized') {
          throw new ApiError(
            'unauthorized',
            'That code was not accepted: it is wrong, used already, or this sign-in expired.',
            401,
          );
        }
        throw error;
      }
    },
    mfaStatus: () => request(MfaStatus, 'GET', '/auth/mfa'),
    mfaBeginEnrollment: () => request(MfaEnrollment, 'POST', '/auth/mfa/enrollment', {}),
    mfaConfirmEnrollment: (code: string) => request(RecoveryCodes, 'POST', '/auth/mfa/enrollment/confirm', { code }),
    /** New recovery codes, confirmed by a code from the app or a signature of a security key. */
    mfaRegenerateRecoveryCodes: (proof: FreshSecondFactor) =>
      request(RecoveryCodes, 'POST', '/auth/mfa/recovery-codes', proof),
    async mfaDisable(code: string): Promise<void> {
      await refuseInManagersWords(await send('POST', '/auth/mfa/disable', { code }), 'Turning the second factor off');
    },
    /** Second step of sign-in with a security key: options, then the signed answer. */
    securityKeySignInOptions: (pendingToken: string) =>
      request(SecurityKeyRequestOptions, 'POST', '/auth/mfa/security-keys/sign-in-options', { pendingToken }, true),
    async securityKeySignIn(pendingToken: string, credential: AuthenticationCredential): Promise<CurrentUser> {
      try {
        return await request(
          CurrentUser,
          'POST',
          '/auth/mfa/security-keys/sign-in',
          { pendingToken, credential },
          true,
        );
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'unauthorized') {
          throw new ApiError('unauthorized', 'The security key was not accepted, or this sign-in expired.', 401);
        }
        throw error;
      }
    },
    securityKeys: () => request(SecurityKeys, 'GET', '/auth/mfa/security-keys'),
    securityKeyRegistrationOptions: () =>
      request(SecurityKeyCreationOptions, 'POST', '/auth/mfa/security-keys/registration-options', {}),
    registerSecurityKey: (name: string, credential: RegistrationCredential) =>
      request(SecurityKeyRegistered, 'POST', '/auth/mfa/security-keys', { name, credential }),
    securityKeyStepUpOptions: () =>
      request(SecurityKeyRequestOptions, 'POST', '/auth/mfa/security-keys/step-up-options', {}),
    async removeSecurityKey(id: string, credential: AuthenticationCredential): Promise<void> {
      const path = `/auth/mfa/security-keys/${encodeURIComponent(id)}/remove`;
      await refuseInManagersWords(await send('POST', path, { credential }), 'Removing the key');
    },
    /** Whether the sign-in page offers single sign-on; asked before any session exists. */
    ssoStatus: () => request(SsoStatus, 'GET', '/auth/oidc/status', undefined, true),
    async logout(): Promise<void> {
      const response = await send('POST', '/auth/logout', {});
      // 401 here means the session was already gone: the outcome the user wanted.
      if (!response.ok && response.status !== 401) {
        throw new ApiError('http', `Sign-out failed with HTTP ${response.status}.`, response.status);
      }
    },
    me: () => request(CurrentUser, 'GET', '/auth/me'),
    agents: () => request(AgentPage, 'GET', '/agents'),
    agent: (id: string) => request(AgentView, 'GET', `/agents/${encodeURIComponent(id)}`),
    revokeAgent: (id: string) => request(AgentView, 'POST', `/agents/${encodeURIComponent(id)}/revoke`, {}),
    enrollmentTokens: () => request(EnrollmentTokenList, 'GET', '/enrollment-tokens'),
    createEnrollmentToken: (ttlMinutes: number) =>
      request(EnrollmentTokenView, 'POST', '/enrollment-tokens', { ttlMinutes }),
    async revokeEnrollmentToken(id: string): Promise<void> {
      const path = `/enrollment-tokens/${encodeURIComponent(id)}/revoke`;
      await refuseFailure(await send('POST', path, {}), 'POST', path);
    },
    agentInstallInfo: () => request(AgentInstallInfo, 'GET', '/agent-install'),
    updateAgent: (id: string, body: UpdateAgentRequest) =>
      request(AgentView, 'PATCH', `/agents/${encodeURIComponent(id)}`, body),
    events: (filter: EventFilter, page: { limit?: number; cursor?: string }) => {
      const query = filterToQuery(filter, page);
      return request(EventPage, 'GET', `/events${query ? `?${query}` : ''}`);
    },
    eventActions: () => request(EventActionFacets, 'GET', '/events/actions'),
    alerts: (status?: AlertStatus) => request(AlertPage, 'GET', `/alerts${status ? `?status=${status}` : ''}`),
    alert: (id: string) => request(AlertDetail, 'GET', `/alerts/${encodeURIComponent(id)}`),
    incidents: () => request(IncidentList, 'GET', '/incidents'),
    hipaaReport: (fromMs: number, toMs: number) =>
      request(HipaaReport, 'GET', `/reports/hipaa?format=json&fromMs=${fromMs}&toMs=${toMs}`),
    overview: (range: OverviewRange) => request(OverviewView, 'GET', `/overview?range=${range}`),
    riskTrend: (kind: RiskSubjectKind, id: string) =>
      request(RiskTrend, 'GET', `/overview/risk-trend?${new URLSearchParams({ kind, id }).toString()}`),
    incident: (id: string) => request(IncidentDetail, 'GET', `/incidents/${encodeURIComponent(id)}`),
    transitionAlert: (id: string, body: AlertTransitionRequest) =>
      request(AlertView, 'POST', `/alerts/${encodeURIComponent(id)}/transitions`, body),
    commentAlert: (id: string, body: string) =>
      request(AlertCommentView, 'POST', `/alerts/${encodeURIComponent(id)}/comments`, { body }),
    auditRows: (filter: AuditFilterForm, page: { limit: number; beforeSeq?: string }) =>
      request(AuditPage, 'GET', `/audit?${auditQuery(filter, page)}`),
    auditStatus: () => request(AuditStatus, 'GET', '/audit/status'),
    verifyAudit: () => request(AuditStatus, 'GET', '/audit/verify'),
    checkpointAudit: () => request(AuditStatus, 'POST', '/audit/checkpoints', {}),
    approvals: (query: { state?: ApprovalListState; limit?: number; cursor?: string } = {}) => {
      const params = new URLSearchParams();
      if (query.state) params.set('state', query.state);
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.cursor) params.set('cursor', query.cursor);
      const search = params.toString();
      return request(ApprovalPage, 'GET', `/approvals${search ? `?${search}` : ''}`);
    },
    approval: (id: string) => request(ApprovalDetail, 'GET', `/approvals/${encodeURIComponent(id)}`),
    approveApproval: (id: string, comment: string) =>
      request(ApprovalView, 'POST', `/approvals/${encodeURIComponent(id)}/approve`, { comment }),
    rejectApproval: (id: string, comment: string) =>
      request(ApprovalView, 'POST', `/approvals/${encodeURIComponent(id)}/reject`, { comment }),

    commands: () => request(CommandPage, 'GET', '/commands'),
    issueCommand: (body: z.input<typeof IssueCommandRequest>) => request(IssuedCommandView, 'POST', '/commands', body),
    undoCommand: (id: string) => request(IssuedCommandView, 'POST', `/commands/${encodeURIComponent(id)}/undo`, {}),
    health: () => request(Health, 'GET', '/health'),
    changePassword: (body: ChangePasswordRequest) => request(CurrentUser, 'POST', '/auth/password', body),
    reidentifyMatch: (body: ReidentifyMatchRequest) =>
      request(ReidentifyMatchResult, 'POST', '/reidentification/match', body),
    pseudonymLookup: (body: PseudonymLookupRequest) =>
      request(PseudonymLookupResult, 'POST', '/reidentification/lookup', body),
    reidentificationRequests: (state?: DutyRequestState) =>
      request(DutyRequestList, 'GET', `/reidentification/requests${state ? `?state=${state}` : ''}`),
    askReidentification: (body: ReidentificationAsk) =>
      request(DutyRequestView, 'POST', '/reidentification/requests', body),
    approveReidentification: (id: string) =>
      request(DutyRequestView, 'POST', `/reidentification/requests/${encodeURIComponent(id)}/approve`, {}),
    denyReidentification: (id: string, reason?: string) =>
      request(
        DutyRequestView,
        'POST',
        `/reidentification/requests/${encodeURIComponent(id)}/deny`,
        reason ? { reason } : {},
      ),
    users: () => request(UserList, 'GET', '/users'),
    createUser: (body: CreateUserRequest) => request(CreatedUser, 'POST', '/users', body),
    disableUser: (id: string) => request(UserView, 'POST', `/users/${encodeURIComponent(id)}/disable`, {}),
    /** A privileged role answers with the pending grant (HTTP 202) a second admin must approve. */
    changeUserRole: (id: string, role: UserRole) =>
      request(UserView.or(DutyRequestView), 'POST', `/users/${encodeURIComponent(id)}/role`, { role }),
    roleGrants: (state?: DutyRequestState) =>
      request(DutyRequestList, 'GET', `/users/grants${state ? `?state=${state}` : ''}`),
    approveRoleGrant: (id: string) =>
      request(DutyRequestView, 'POST', `/users/grants/${encodeURIComponent(id)}/approve`, {}),
    denyRoleGrant: (id: string, reason?: string) =>
      request(DutyRequestView, 'POST', `/users/grants/${encodeURIComponent(id)}/deny`, reason ? { reason } : {}),
    signOutEverywhere: (id: string) =>
      request(SessionsEnded, 'POST', `/users/${encodeURIComponent(id)}/sign-out-everywhere`, {}),
    playbooks: () => request(PlaybookList, 'GET', '/playbooks'),
    playbookVersions: (id: string) => request(PlaybookList, 'GET', `/playbooks/${encodeURIComponent(id)}/versions`),
    updatePlaybook: (id: string, body: PlaybookUpdateRequest) =>
      request(PlaybookView, 'PUT', `/playbooks/${encodeURIComponent(id)}`, body),
    staffRoles: (page: { limit: number; cursor?: string }) => {
      const params = new URLSearchParams({ limit: String(page.limit) });
      if (page.cursor) params.set('cursor', page.cursor);
      return request(StaffRolePage, 'GET', `/staff-roles?${params.toString()}`);
    },
    setStaffRole: (userToken: string, role: ClinicalRole) =>
      request(StaffRoleView, 'PUT', `/staff-roles/${encodeURIComponent(userToken)}`, { role }),
    async removeStaffRole(userToken: string): Promise<void> {
      const path = `/staff-roles/${encodeURIComponent(userToken)}`;
      await refuseFailure(await send('DELETE', path), 'DELETE', path);
    },
    destinations: () => request(DestinationList, 'GET', '/forwarding/destinations'),
    /** Sent as typed: the manager's refusal names the fields (`ApiError.problems`). */
    createDestination: (body: DestinationDraft) => request(DestinationView, 'POST', '/forwarding/destinations', body),
    updateDestination: (id: string, body: UpdateDestinationRequest) =>
      request(DestinationView, 'PATCH', `/forwarding/destinations/${encodeURIComponent(id)}`, body),
    async removeDestination(id: string): Promise<void> {
      const path = `/forwarding/destinations/${encodeURIComponent(id)}`;
      await refuseFailure(await send('DELETE', path), 'DELETE', path);
    },
    testDestination: (id: string) =>
      request(TestDeliveryResult, 'POST', `/forwarding/destinations/${encodeURIComponent(id)}/test`, {}),
    deadLetters: (id: string, limit = 100) =>
      request(DeadLetterList, 'GET', `/forwarding/destinations/${encodeURIComponent(id)}/dead-letters?limit=${limit}`),
    policies: () => request(PolicyList, 'GET', '/policies'),
    createPolicy: (body: PolicyCreateRequest) => request(PolicyView, 'POST', '/policies', body),
    agentPolicies: () => request(AgentPolicyList, 'GET', '/policies/agents'),
    pinPolicyTier: (agentId: string, tier: string | null) =>
      request(AgentPolicyView, 'PUT', `/agents/${encodeURIComponent(agentId)}/policy`, { tier }),
    setAgentCanary: (agentId: string, canary: boolean) =>
      request(AgentPolicyView, 'PUT', `/agents/${encodeURIComponent(agentId)}/policy/canary`, { canary }),
    policyRollout: () => request(PolicyRolloutAnswer, 'GET', '/policy-rollout'),
    resumeRollout: () => request(PolicyRolloutView, 'POST', '/policy-rollout/resume', {}),
    abortRollout: () => request(PolicyRolloutView, 'POST', '/policy-rollout/abort', {}),
    promoteRollout: (body: PolicyRolloutPromoteRequest) =>
      request(PolicyRolloutView, 'POST', '/policy-rollout/promote', body),
  };
}

/** The `message` of a JSON error body, capped ('' when there is none), and the fields it refused. */
async function serverAnswer(response: Response): Promise<{ said: string; problems: FieldProblem[] }> {
  try {
    const body: unknown = await response.json();
    const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : undefined;
    // A refused form names its fields: "path: message" for each (zod issues from the ZodPipe).
    const issues = typeof body === 'object' && body !== null && 'issues' in body ? body.issues : undefined;
    const problems: FieldProblem[] = Array.isArray(issues)
      ? issues
          .slice(0, 20)
          .flatMap((i: unknown) =>
            typeof i === 'object' && i !== null && 'path' in i && 'message' in i
              ? [{ path: String(i.path).slice(0, 200), message: String(i.message).slice(0, 300) }]
              : [],
          )
      : [];
    const named = problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`);
    const text = typeof message === 'string' ? message : '';
    return { said: (named.length > 0 ? `${text} (${named.join('; ')})` : text).slice(0, 500), problems };
  } catch {
    return { said: '', problems: [] };
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return `Unexpected error: ${error.message}`;
  return 'Unexpected error.';
}

/** The manager's Retry-After (seconds) in words; backoff grows from 1 s to minutes. */
export function retryText(header: string | null): string {
  const seconds = Number(header);
  if (!header || !Number.isFinite(seconds) || seconds <= 0) return 'Wait a minute, then try again.';
  if (seconds < 60) return `Try again in ${Math.ceil(seconds)} s.`;
  return `Try again in ${Math.ceil(seconds / 60)} min.`;
}
