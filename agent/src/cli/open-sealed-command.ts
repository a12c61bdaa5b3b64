// `open-sealed <path> --reason "..."`: the tray's "open a sealed file", from a terminal. The
// running agent does the open (POST /v1/response/open-sealed on its local API): it checks
// the IT staff code and the policy folders, asks the manager, which audits the open with
// the reason, and writes the clear copy where the tray's would go. The code is read from
// standard input, never from the arguments, which any local account can see in `ps`.
import { resolve } from 'node:path';
import { OpenSealedReport, OpenSealedRequest } from '@wardwatch/shared/agent';
import { AgentError, ExitCode } from '../errors/agent-error';
import { postLocalApi } from './local-api-request';

/** An IT staff code is at most 2,000 characters (OpenSealedRequest); more input is refused. */
const MAX_CODE_INPUT_BYTES = 4_096;
const LOCAL_API_TIMEOUT_MS = 60_000;

export async function openSealedCommand(
  dataDir: string,
  options: { path: string; reason: string; code: string },
  timeoutMs = LOCAL_API_TIMEOUT_MS,
): Promise<OpenSealedReport> {
  const body = OpenSealedRequest.safeParse({ path: resolve(options.path), reason: options.reason, code: options.code });
  if (!body.success)
    throw new AgentError(
      `open-sealed: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      ExitCode.badConfig,
    );
  return postLocalApi(dataDir, '/v1/response/open-sealed', body.data, OpenSealedReport, timeoutMs);
}

/** The first line of `input` (the code IT staff gave), bounded. */
export async function readCode(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > MAX_CODE_INPUT_BYTES)
      throw new AgentError('open-sealed: the code on standard input is too long', ExitCode.badConfig);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0].trim();
}
