// How every tray window is locked down. The options are spelled out in one
// frozen constant rather than left to Electron's defaults, so a reviewer sees
// them in one place and a test fails if one is loosened.
// (The `remote` module was removed from Electron in v14; there is no option
// left to enable it, and nothing here loads it.)

export const HARDENED_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
  devTools: false,
} as const);

/** The Content-Security-Policy the renderer page carries in its meta tag. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The bits of Electron's WebContents the guard touches (electron is imported only in main.ts). */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: { preventDefault(): void }, ...rest: unknown[]) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The bits of Electron's Session the guard touches. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

export type DeniedAction =
  | { kind: 'navigation' | 'redirect' | 'new-window' | 'webview'; url: string }
  | { kind: 'permission'; permission: string };

/**
 * Denies everything the status page never needs: navigating away, redirects,
 * new windows, <webview>, and every permission (camera, notifications, …).
 * The page is a local file that only reads status; there is no allow-list
 * because there is no external link.
 */
export class NavigationGuard {
  constructor(private readonly onDenied: (action: DeniedAction) => void) {}

  guardContents(contents: GuardedContents): void {
    contents.on('will-navigate', (event, url) => this.deny(event, { kind: 'navigation', url: String(url) }));
    contents.on('will-redirect', (event, url) => this.deny(event, { kind: 'redirect', url: String(url) }));
    contents.on('will-attach-webview', (event) => this.deny(event, { kind: 'webview', url: '' }));
    contents.setWindowOpenHandler(({ url }) => {
      this.onDenied({ kind: 'new-window', url });
      return { action: 'deny' };
    });
  }

  guardSession(session: GuardedSession): void {
    session.setPermissionRequestHandler((_contents, permission, callback) => {
      this.onDenied({ kind: 'permission', permission });
      callback(false);
    });
    session.setPermissionCheckHandler(() => false);
  }

  private deny(event: { preventDefault(): void }, action: DeniedAction): void {
    event.preventDefault();
    this.onDenied(action);
  }
}
