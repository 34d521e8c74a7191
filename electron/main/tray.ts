import { Menu, Tray, nativeImage } from 'electron';
import path from 'node:path';
import type { EngineStatus } from '../../shared/domain/flows';
import { trayModel, type TrayMenuItem } from './tray-model';

/** The tray icon and menu, redrawn from each engine status; the model (tray-model.ts) decides what they say. */
export function createTray(options: { iconDir: string; initial: EngineStatus; onSelect: (id: TrayMenuItem['id']) => void }) {
  // tray-<state>.png is 16 px; Electron adds tray-<state>@2x.png (32 px) by itself for a high-DPI screen.
  const icon = (name: string) => nativeImage.createFromPath(path.join(options.iconDir, `tray-${name}.png`));
  const tray = new Tray(icon('ok'));
  tray.on('click', () => options.onSelect('open'));
  const render = (status: EngineStatus) => {
    const model = trayModel(status);
    // What the tray shows now, where the desktop test (Playwright's app.evaluate) can read it: Electron has no getter.
    (globalThis as { marketplaceConsoleTray?: typeof model }).marketplaceConsoleTray = model;
    tray.setImage(icon(model.icon));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate(model.menu.map((item) => ({ label: item.label, enabled: item.enabled, click: () => options.onSelect(item.id) }))),
    );
  };
  render(options.initial);
  return { render, destroy: () => tray.destroy() };
}
