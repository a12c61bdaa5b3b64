import { SetMetadata } from '@nestjs/common';

export const ALLOWED_BEFORE_MFA_ENROLLMENT = 'ww:mfa-enrollment-ok';

/**
 * The few routes a user who must have a second factor, and has none yet, may use: who am
 * I, and enrolling. The session guard refuses every other with `mfa_enrollment_required`.
 */
export const AllowedBeforeMfaEnrollment = () => SetMetadata(ALLOWED_BEFORE_MFA_ENROLLMENT, true);
