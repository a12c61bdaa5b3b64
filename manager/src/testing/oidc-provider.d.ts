// The few parts of oidc-provider (a devDependency, shipped without types) that the test
// provider uses; see oidc-provider.fixture.ts.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface InteractionContext {
    oidc: {
      client?: { clientId: string };
      session?: { accountId?: string };
      result?: unknown;
      provider: { Grant: new (init: { clientId?: string; accountId?: string }) => Grant };
    };
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    proxy: boolean;
  }
  export type { InteractionContext };
}
