// A unary request whose bytes are not its protobuf message. grpc-js answers a
// deserializer that throws with INTERNAL ("Error deserializing request"), which
// says the manager failed; the fault is the caller's. So the deserializer marks
// such a request instead of throwing, and the call is answered INVALID_ARGUMENT
// before its handler sees it.
import { status, type handleUnaryCall, type ServerUnaryCall } from '@grpc/grpc-js';
import { grpcError } from './enroll.grpc';

export const UNDECODABLE = Symbol('undecodable request');
export type Undecodable = typeof UNDECODABLE;

/** The generated decoder, returning UNDECODABLE where it would throw. */
export function decodeOrMark<T>(decode: (bytes: Buffer) => T): (bytes: Buffer) => T | Undecodable {
  return (bytes) => {
    try {
      return decode(bytes);
    } catch {
      return UNDECODABLE;
    }
  };
}

/** The handler, behind a check that answers an undecodable request with INVALID_ARGUMENT. */
export function refuseUndecodable<Req, Res>(
  handler: handleUnaryCall<Req, Res>,
): handleUnaryCall<Req | Undecodable, Res> {
  return (call, callback) => {
    if (call.request === UNDECODABLE) {
      callback(grpcError(status.INVALID_ARGUMENT, 'the request is not a valid protobuf message'));
      return;
    }
    handler(call as ServerUnaryCall<Req, Res>, callback);
  };
}
