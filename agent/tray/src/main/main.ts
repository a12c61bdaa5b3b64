// The tray's composition root and the only file that imports electron: it reads
// the config once, builds the classes and wires them to Electron objects. The
// decisions live in those classes (tested in plain Node); this file only
// connects them.
import { mkdirSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  session,
  shell,
  Tray,
  type WebPreferences,
} from 'electron';
import { InvokeChannels, PushChannels } from '../common/ipc-channels';
import { loadTrayConfig, TrayConfigError } from './config/tray-config';
import { IpcGuard } from './ipc/ipc-guard';
import { LocalApiClient } from './local-api/local-api-client';
import { nodeFileReader } from './local-api/node-file-reader';
import { ResponseService } from './response/response-service';
import { WarningNotifier, type DesktopNotifier } from './response/warning-notifier';
import { StatusService } from './status/status-service';
import { trayIconBitmap, TRAY_ICON_SIZE } from './tray/tray-icon';
import { buildTrayModel, type TrayActionId } from './tray/tray-menu';
import { HARDENED_WEB_PREFERENCES, NavigationGuard } from './window/window-hardening';

// Compile-time check that every hardening key is a real Electron WebPreferences option.
const hardening: Readonly<WebPreferences> = HARDENED_WEB_PREFERENCES satisfies Readonly<WebPreferences>;

function start(): void {
  let config;
  try {
    config = loadTrayConfig({ argv: process.argv, env: process.env, platform: process.platform });
  } catch (error) {
    process.stderr.write(`wardwatch tray: ${error instanceof TrayConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (!app.requestSingleInstanceLock()) return app.quit();
  app.dock?.hide(); // macOS: a tray app, not a Dock app

  const logsDir = config.logsDir ?? app.getPath('logs');
  const log = (msg: string, context: Record<string, unknown> = {}) => {
    const line = `${JSON.stringify({ time: new Date().toISOString(), msg, ...context })}\n`;
    process.stdout.write(line);
    try {
      mkdirSync(logsDir, { recursive: true });
      appendFileSync(join(logsDir, 'tray.log'), line);
    } catch {
      // The log file is a convenience; stdout already has the line.
    }
  };

  const rendererFile = join(__dirname, '..', 'renderer', 'index.html');
  const client = new LocalApiClient({
    agentDataDir: config.agentDataDir,
    timeoutMs: config.requestTimeoutMs,
    files: nodeFileReader,
  });
  const status = new StatusService({
    source: client,
    now: () => Date.now(),
    onProblem: (problem) => log('agent status unavailable', problem),
  });
  const response = new ResponseService({
    source: client,
    now: () => Date.now(),
    onProblem: (problem) => log('response request failed', problem),
    onRequest: (request) => log('response request accepted', request),
  });
  const guard = new NavigationGuard((action) => log('denied', action));
  const ipc = new IpcGuard(ipcMain, pathToFileURL(rendererFile).href, (rejection) => log('ipc rejected', rejection));
  ipc.handle(InvokeChannels.getStatus, () => status.refresh());
  ipc.handle(InvokeChannels.getRecentEvents, () => status.recentEvents());
  ipc.handle(InvokeChannels.getResponse, () => response.refresh());
  ipc.handle(InvokeChannels.declareBreakGlass, ([request]) => response.declareBreakGlass(request));
  ipc.handle(InvokeChannels.endBreakGlass, () => response.endBreakGlass());
  ipc.handle(InvokeChannels.startMaintenance, ([request]) => response.startMaintenance(request));
  ipc.handle(InvokeChannels.endMaintenance, () => response.endMaintenance());
  ipc.handle(InvokeChannels.undo, ([request]) => response.undo(request));
  ipc.handle(InvokeChannels.openSealed, ([request]) => response.openSealed(request));

  app.on('web-contents-created', (_event, contents) => guard.guardContents(contents));
  guard.guardSession(session.defaultSession);

  let window: BrowserWindow | null = null;
  /** `section`: a part of the page to bring forward (the tray's "Open a sealed file…"). */
  const openStatus = (section?: 'open-sealed') => {
    const fragment = section ? { hash: section } : undefined;
    if (window) {
      // Same page, another fragment: an in-page hashchange, no reload.
      if (fragment) void window.loadFile(rendererFile, fragment);
      return window.show();
    }
    window = new BrowserWindow({
      width: 760,
      height: 640,
      title: 'WardWatch agent status',
      show: false,
      webPreferences: { ...hardening, preload: join(__dirname, '..', 'preload', 'preload.js') },
    });
    window.removeMenu();
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => (window = null));
    void window.loadFile(rendererFile, fragment);
  };

  const tray = new Tray(nativeImage.createEmpty());
  const actions: Record<TrayActionId, () => void> = {
    'open-status': () => openStatus(),
    'open-sealed': () => openStatus('open-sealed'),
    refresh: () => void status.refresh(),
    'open-logs': () => {
      mkdirSync(logsDir, { recursive: true });
      void shell.openPath(logsDir);
    },
    quit: () => app.quit(),
  };
  const renderTray = () => {
    const model = buildTrayModel(status.current(), response.current());
    const bitmap = trayIconBitmap(model.health);
    tray.setImage(nativeImage.createFromBitmap(bitmap, { width: TRAY_ICON_SIZE, height: TRAY_ICON_SIZE }));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate(
        model.items.map((item) =>
          item.kind === 'separator'
            ? { type: 'separator' }
            : item.kind === 'label'
              ? { label: item.label, enabled: false }
              : { label: item.label, click: actions[item.id] },
        ),
      ),
    );
  };
  status.subscribe((result) => {
    renderTray();
    window?.webContents.send(PushChannels.status.name, PushChannels.status.payload.parse(result));
  });
  const notifier: DesktopNotifier = {
    notify: ({ title, body }) => {
      if (!Notification.isSupported()) return log('notifications not supported', { title });
      const notice = new Notification({ title, body, urgency: 'critical', timeoutType: 'never' });
      notice.on('click', () => openStatus());
      notice.show();
    },
  };
  const warnings = new WarningNotifier(notifier, () => Date.now());
  response.subscribe((result) => {
    warnings.update(result);
    renderTray();
    window?.webContents.send(PushChannels.response.name, PushChannels.response.payload.parse(result));
  });
  renderTray();

  void status.refresh();
  void response.refresh();
  const poll = setInterval(() => void status.refresh(), config.pollIntervalMs);
  const responsePoll = setInterval(() => void response.refresh(), config.responsePollIntervalMs);
  app.on('window-all-closed', () => {
    // Closing the status window keeps the tray running; Quit in the menu ends it.
  });
  app.on('before-quit', () => {
    clearInterval(poll);
    clearInterval(responsePoll);
    ipc.removeAll();
  });
  log('tray started', { agentDataDir: config.agentDataDir, logsDir });
}

app.whenReady().then(start, (error: unknown) => {
  process.stderr.write(`wardwatch tray failed to start: ${String(error)}\n`);
  process.exit(1);
});
