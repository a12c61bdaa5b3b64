// For tests of the password step that are not about second factors: a sign-in step for
// users none of whom has a second factor or must enrol one.
import type { MfaChallenge } from '@wardwatch/shared';
import type { SignedIn } from '../auth.service';
import type { MfaSignInService } from './mfa-sign-in.service';

type Public<T> = { [K in keyof T]: T[K] };

export const noSecondFactor: Public<MfaSignInService> = {
  usesSecondFactor: () => Promise.resolve(false),
  mark: (user) => Promise.resolve(user),
  challenge: () => Promise.reject(new Error('no user of this test has a second factor')),
  complete: () => Promise.reject(new Error('no user of this test has a second factor')),
  pendingUser: () => Promise.reject(new Error('no user of this test has a second factor')),
  startSession: () => Promise.reject(new Error('no user of this test has a second factor')),
};

/** The session of a sign-in that needed no second factor; throws on a challenge. */
export function sessionOf(result: SignedIn | MfaChallenge): SignedIn {
  if ('pendingToken' in result) throw new Error('this sign-in asked for a second factor');
  return result;
}
