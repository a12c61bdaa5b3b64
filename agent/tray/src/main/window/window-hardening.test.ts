import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HARDENED_WEB_PREFERENCES,
  NavigationGuard,
  RENDERER_CSP,
  type DeniedAction,
  type GuardedContents,
  type GuardedSession,
} from './window-hardening';

type Listener = (event: { preventDefault(): void }, ...rest: unknown[]) => void;

/** Records what the guard registers, then lets the test fire events as Electron would. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents: GuardedContents = {
    on: (event, listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => (openHandler = handler),
  };
  const fire = (name: string, ...rest: unknown[]) => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => (prevented = true) }, ...rest);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

function sut() {
  const denied: DeniedAction[] = [];
  return { guard: new NavigationGuard((action) => denied.push(action)), denied };
}

describe('HARDENED_WEB_PREFERENCES', () => {
  it('isolates and sandboxes the page, with no Node and full web security', () => {
    expect(HARDENED_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(HARDENED_WEB_PREFERENCES).not.toHaveProperty('enableRemoteModule');
    expect(HARDENED_WEB_PREFERENCES).not.toHaveProperty('preload');
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(HARDENED_WEB_PREFERENCES)).toBe(true);
    expect(() => Object.assign(HARDENED_WEB_PREFERENCES, { sandbox: false })).toThrow(TypeError);
  });

  it('matches the CSP written in index.html, which starts from default-src self', () => {
    const html = readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_CSP);
    expect(RENDERER_CSP.startsWith("default-src 'self';")).toBe(true);
    expect(RENDERER_CSP).not.toContain('unsafe');
  });
});

describe('NavigationGuard', () => {
  it('prevents every navigation and redirect and says what it denied', () => {
    const { guard, denied } = sut();
    const page = fakeContents();
    guard.guardContents(page.contents);
    expect(page.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(page.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(page.fire('will-redirect', 'https://evil.example/r')).toBe(true);
    expect(page.fire('will-attach-webview')).toBe(true);
    expect(denied).toEqual([
      { kind: 'navigation', url: 'https://evil.example/' },
      { kind: 'navigation', url: 'file:///etc/passwd' },
      { kind: 'redirect', url: 'https://evil.example/r' },
      { kind: 'webview', url: '' },
    ]);
  });

  it('denies every new window', () => {
    const { guard, denied } = sut();
    const page = fakeContents();
    guard.guardContents(page.contents);
    expect(page.open('https://example.org/')).toEqual({ action: 'deny' });
    expect(page.open('about:blank')).toEqual({ action: 'deny' });
    expect(denied.map((d) => d.kind)).toEqual(['new-window', 'new-window']);
  });

  it('refuses every permission request and check', () => {
    const { guard, denied } = sut();
    let request: Parameters<GuardedSession['setPermissionRequestHandler']>[0] | null = null;
    let check: Parameters<GuardedSession['setPermissionCheckHandler']>[0] | null = null;
    guard.guardSession({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read'])
      request!(null, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!(null, 'media')).toBe(false);
    expect(denied).toContainEqual({ kind: 'permission', permission: 'media' });
  });
});
