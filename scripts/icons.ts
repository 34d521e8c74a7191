import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import pngToIco from 'png-to-ico';

/**
 * The desktop app's icon set, drawn at every size it is shown rather than scaled from one picture, so the 16-pixel
 * tray icon is as sharp as the 256-pixel one: `npm run icons` writes build/icons/ (committed; a test redraws them and
 * fails if they differ, so the files never drift from this script).
 *
 * - icon.ico: the window, taskbar, installer and shortcut icon (16, 24, 32, 48, 64, 128 and 256 px in one file);
 *   icon.png: the 256 px picture, for the window on other systems.
 * - tray-<state>.png and tray-<state>@2x.png: the tray at 16 px and, on a high-DPI screen, 32 px (Electron picks @2x
 *   by itself). One per tray state: ok, attention, failing, paused.
 */

type Rgba = readonly [number, number, number, number];
/** Whether a point (0..1 across the picture) is inside a shape. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  colour: Rgba;
}

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
export const TRAY_STATES = ['ok', 'attention', 'failing', 'paused'] as const;

const BLUE: Rgba = [31, 78, 156, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const TRAY_COLOURS: Record<(typeof TRAY_STATES)[number], Rgba> = {
  ok: [46, 125, 50, 255],
  attention: [178, 106, 0, 255],
  failing: [198, 40, 40, 255],
  paused: [107, 114, 128, 255],
};

/** Each pixel is the share of a 4 × 4 grid of points inside each layer, so edges are smooth at any size. */
function draw(size: number, layers: readonly Layer[]): Buffer {
  const png = new PNG({ width: size, height: size });
  const grid = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const { shape, colour } of layers) {
        let inside = 0;
        for (let sy = 0; sy < grid; sy++)
          for (let sx = 0; sx < grid; sx++) if (shape((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size)) inside++;
        const cover = (inside / (grid * grid)) * (colour[3] / 255);
        // "Over" compositing in straight alpha: each layer painted on what is below it.
        const outA = cover + a * (1 - cover);
        if (outA > 0) {
          r = (colour[0] * cover + r * a * (1 - cover)) / outA;
          g = (colour[1] * cover + g * a * (1 - cover)) / outA;
          b = (colour[2] * cover + b * a * (1 - cover)) / outA;
        }
        a = outA;
      }
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(r);
      png.data[i + 1] = Math.round(g);
      png.data[i + 2] = Math.round(b);
      png.data[i + 3] = Math.round(a * 255);
    }
  }
  return PNG.sync.write(png);
}

const roundedSquare =
  (margin: number, radius: number): Shape =>
  (x, y) => {
    const dx = Math.max(margin + radius - x, 0, x - (1 - margin - radius));
    const dy = Math.max(margin + radius - y, 0, y - (1 - margin - radius));
    return x >= margin && x <= 1 - margin && y >= margin && y <= 1 - margin && dx * dx + dy * dy <= radius * radius;
  };
const disc =
  (cx: number, cy: number, radius: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
/** A stroke of the given width from (x1, y1) to (x2, y2), with round ends. */
const segment =
  (x1: number, y1: number, x2: number, y2: number, width: number): Shape =>
  (x, y) => {
    const [vx, vy] = [x2 - x1, y2 - y1];
    const t = Math.max(0, Math.min(1, ((x - x1) * vx + (y - y1) * vy) / (vx * vx + vy * vy)));
    return (x - x1 - t * vx) ** 2 + (y - y1 - t * vy) ** 2 <= (width / 2) ** 2;
  };
const triangle =
  (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape =>
  (x, y) => {
    const side = (px: number, py: number, qx: number, qy: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
    const [d1, d2, d3] = [side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)];
    return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
  };
const anyOf =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

/** Two arrows chasing each other round a circle: orders and stock going both ways between SAP and the marketplace. */
function syncGlyph(): Shape {
  const [cx, cy, inner, outer] = [0.5, 0.5, 0.2, 0.3];
  const arc: Shape = (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    if (d < inner || d > outer) return false;
    const angle = (Math.atan2(y - cy, x - cx) * 180) / Math.PI; // 0 at the right, clockwise on screen
    const a = (angle + 360) % 360;
    // A gap after each arrowhead, at the top right and the bottom left.
    return !((a > 290 && a < 340) || (a > 110 && a < 160));
  };
  // Arrowheads at the gaps' leading ends, pointing clockwise.
  const head = (angleDeg: number): Shape => {
    const t = (angleDeg * Math.PI) / 180;
    const mid = (inner + outer) / 2;
    const [bx, by] = [cx + mid * Math.cos(t), cy + mid * Math.sin(t)];
    const [nx, ny] = [Math.cos(t), Math.sin(t)]; // outward
    const [tx, ty] = [-Math.sin(t), Math.cos(t)]; // clockwise tangent
    const half = 0.11;
    const length = 0.13;
    return triangle(bx + nx * half, by + ny * half, bx - nx * half, by - ny * half, bx + tx * length, by + ty * length);
  };
  return anyOf(arc, head(290), head(110));
}

export function appIcon(size: number): Buffer {
  return draw(size, [
    { shape: roundedSquare(0.03, 0.18), colour: BLUE },
    { shape: syncGlyph(), colour: WHITE },
  ]);
}

const TRAY_GLYPHS: Record<(typeof TRAY_STATES)[number], Shape> = {
  ok: anyOf(segment(0.3, 0.52, 0.44, 0.66, 0.13), segment(0.44, 0.66, 0.71, 0.36, 0.13)),
  attention: anyOf(segment(0.5, 0.26, 0.5, 0.56, 0.14), disc(0.5, 0.72, 0.08)),
  failing: anyOf(segment(0.33, 0.33, 0.67, 0.67, 0.14), segment(0.67, 0.33, 0.33, 0.67, 0.14)),
  paused: anyOf(segment(0.4, 0.32, 0.4, 0.68, 0.13), segment(0.6, 0.32, 0.6, 0.68, 0.13)),
};

export function trayIcon(state: (typeof TRAY_STATES)[number], size: number): Buffer {
  return draw(size, [
    { shape: disc(0.5, 0.5, 0.47), colour: TRAY_COLOURS[state] },
    { shape: TRAY_GLYPHS[state], colour: WHITE },
  ]);
}

/** Every file of the set, by name. */
export async function iconSet(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  files.set('icon.png', appIcon(256));
  files.set('icon.ico', await pngToIco(ICO_SIZES.map((size) => appIcon(size))));
  for (const state of TRAY_STATES) {
    files.set(`tray-${state}.png`, trayIcon(state, 16));
    files.set(`tray-${state}@2x.png`, trayIcon(state, 32));
  }
  return files;
}

export const ICON_DIR = fileURLToPath(new URL('../build/icons', import.meta.url));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await mkdir(ICON_DIR, { recursive: true });
  for (const [name, bytes] of await iconSet()) await writeFile(path.join(ICON_DIR, name), bytes);
  console.log(`icons written to ${ICON_DIR}`);
}
