// For test managers that do not serve the sealing calls (nor the OPRF evaluation): they answer UNIMPLEMENTED.
import { status, type sendUnaryData } from '@grpc/grpc-js';
import type { AgentServiceServer } from '@wardwatch/proto';

const refuse = (_call: unknown, callback: sendUnaryData<never>) =>
  callback({ code: status.UNIMPLEMENTED, details: 'no sealing calls here' });

export const noSealingCalls: Pick<
  AgentServiceServer,
  'getSealingKey' | 'unwrapDataKey' | 'rewrapDataKeys' | 'evaluatePseudonyms'
> = {
  evaluatePseudonyms: refuse,
  getSealingKey: refuse,
  unwrapDataKey: refuse,
  rewrapDataKeys: refuse,
};
