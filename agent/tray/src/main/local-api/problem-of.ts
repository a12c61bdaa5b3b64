// Any failure of a local-API call as the {code, message} the renderer words for a person.
import type { TrayProblem } from '../../common/ipc-channels';
import { LocalApiError } from './local-api-error';

export function problemOf(error: unknown): TrayProblem {
  if (error instanceof LocalApiError) return { code: error.code, message: error.message };
  // Anything the client did not word is a bug; still shown, as a bad response.
  return {
    code: 'bad-response',
    message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  };
}
