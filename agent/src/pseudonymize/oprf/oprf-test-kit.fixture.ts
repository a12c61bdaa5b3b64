// What the OPRF tests of the agent share: a key the agent never holds (the manager's, in the
// tests' hands to compute what a value's token must be), a score naming a user, an address
// and a patient file, and a ransomware-like write.
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { oprfMacWith, type PseudonymKind } from '@wardwatch/shared/pseudonyms';
import type { ScoreResult } from '../../scoring/model/risk-model';
import type { OprfEvaluator } from './oprf-tokens';

export const { oprf } = ristretto255_oprf;
export const secretKey = oprf.generateKeyPair().secretKey;

/** The PRF under `secretKey`, as the manager computes it for re-identification. */
export const prf = (input: Uint8Array) => {
  const { blind, blinded } = oprf.blind(input);
  return oprf.finalize(input, blind, oprf.blindEvaluate(secretKey, blinded));
};

/** What the key gives for a value (for a path: its MAC only): computed here with the key, as the manager's re-identification does. */
export const expected = (prefix: string, kind: Exclude<PseudonymKind, 'path'>, value: string) =>
  `${prefix}_${oprfMacWith(prf, kind, value)}`;

/** The MAC of a path's token under the key (keyed by its folder's PRF output, as on the manager). */
export const expectedPathMac = (path: string) => oprfMacWith(prf, 'path', path);

/** The manager's evaluation under `secretKey` in process, counting calls and values (the wire is oprf-offline.test.ts's). */
export function countingEvaluator(keyId = 'k1') {
  const counted = { calls: 0, values: 0 };
  const evaluator: OprfEvaluator = {
    evaluate(blinded) {
      counted.calls += 1;
      counted.values += blinded.length;
      return Promise.resolve({ evaluated: blinded.map((b) => oprf.blindEvaluate(secretKey, b)), keyId });
    },
  };
  return { evaluator, counted };
}

export function scoreOf(user: string, score: number): ScoreResult {
  return {
    user,
    host: 'ws12',
    hosts: ['ws12'],
    start: 0,
    end: 60_000,
    score,
    alert: true,
    reasons: [
      {
        text: `${user} signed in from 198.51.100.4 and wrote to /home/${user}/notes.pdf`,
        source: 'rule',
        ruleId: 'r1',
        fields: { sourceIp: '198.51.100.4', path: `/home/${user}/notes.pdf` },
      },
    ],
    baselineSource: 'fleet',
    modelError: 0,
    ruleIds: ['r1'],
    firstRuleHitAt: null,
    labels: [],
  };
}

export { ransomwareWrite } from '../../scoring/live/ransomware-write.fixture';
