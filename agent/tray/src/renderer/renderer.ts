// The status page's entry: asks the preload bridge for status and recent
// events, redraws on every pushed status and on the Refresh button; the
// Response section (warnings, break-glass, maintenance, undo) runs beside it.
import type { WardWatchBridge } from '../common/ipc-channels';
import { renderRecentEvents, renderStatus } from './render-status';
import { ResponsePanel } from './response-panel';

declare global {
  interface Window {
    readonly wardwatch?: WardWatchBridge;
  }
}

function showBridgeMissing(): void {
  const problem = document.getElementById('problem');
  if (!problem) return;
  problem.hidden = false;
  const title = document.getElementById('problem-title');
  if (title) title.textContent = 'This page must be opened by the WardWatch tray';
}

async function loadEvents(bridge: WardWatchBridge): Promise<void> {
  renderRecentEvents(document, await bridge.getRecentEvents());
}

async function refresh(bridge: WardWatchBridge): Promise<void> {
  const [status] = await Promise.all([bridge.getStatus(), loadEvents(bridge)]);
  renderStatus(document, status);
}

function main(): void {
  const bridge = window.wardwatch;
  if (!bridge) return showBridgeMissing();
  const button = document.getElementById('refresh') as HTMLButtonElement | null;
  const panel = new ResponsePanel(document, bridge);
  const run = () => {
    if (button) button.disabled = true;
    panel.reload();
    refresh(bridge)
      .catch((error: unknown) => console.error('refresh failed', error))
      .finally(() => {
        if (button) button.disabled = false;
      });
  };
  button?.addEventListener('click', run);
  bridge.onStatus((result) => {
    renderStatus(document, result);
    if (result.ok) void loadEvents(bridge).catch((error: unknown) => console.error('recent events failed', error));
  });
  panel.start();
  run();
}

main();
