// The tray icon drawn in code (a filled disc whose colour is the agent's health),
// so the tray ships no image files and the icon changes with the status.
import type { TrayHealth } from './tray-menu';

export const TRAY_ICON_SIZE = 16;

const COLOURS: Record<TrayHealth, readonly [number, number, number]> = {
  connected: [46, 160, 67], // green
  disconnected: [212, 140, 0], // amber
  unknown: [128, 128, 128], // grey: agent not reachable or not asked yet
  warning: [207, 34, 46], // red: a response action is counting down here
};

/** A BGRA bitmap, as Electron's nativeImage.createFromBitmap takes it. */
export function trayIconBitmap(health: TrayHealth, size = TRAY_ICON_SIZE): Buffer {
  const [r, g, b] = COLOURS[health];
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 2 - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      // One pixel of soft edge so the disc is not jagged.
      const alpha = Math.round(255 * Math.min(1, Math.max(0, radius + 0.5 - distance)));
      const offset = (y * size + x) * 4;
      pixels[offset] = b;
      pixels[offset + 1] = g;
      pixels[offset + 2] = r;
      pixels[offset + 3] = alpha;
    }
  }
  return pixels;
}
