// A failure to learn the agent's state, with the code the renderer words for a person.
import type { TrayProblemCode } from '../../common/ipc-channels';

export class LocalApiError extends Error {
  override readonly name = 'LocalApiError';

  constructor(
    readonly code: TrayProblemCode,
    message: string,
  ) {
    super(message);
  }
}
