// One error type for sealing, with string codes the CLI and the policy engine tell apart.
export type SealErrorCode =
  | 'not_sealed' // the file does not start with our header
  | 'unsupported' // a format version this agent does not know
  | 'damaged' // header or data altered, chunks reordered, cut short or extended
  | 'wrong_key' // the data key does not open the content
  | 'bad_input' // a value we were asked to write is out of range
  | 'not_allowed'; // the policy in force does not cover this file (authorised open)

export class SealError extends Error {
  constructor(
    readonly code: SealErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SealError';
  }
}
