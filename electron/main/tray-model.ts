import type { EngineStatus } from '../../shared/domain/flows';

export type TrayIcon = 'ok' | 'attention' | 'failing' | 'paused';

export interface TrayMenuItem {
  id: 'open' | 'run-now' | 'pause' | 'resume' | 'quit';
  label: string;
  enabled: boolean;
}

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** What the tray shows for an engine status: the warehouse office reads the icon, the tooltip says why. */
export function trayModel(status: EngineStatus): TrayModel {
  const icon: TrayIcon = status.state === 'paused' ? 'paused' : status.health;
  const failing = status.flows.filter((f) => f.enabled && (f.failureStreak > 0 || f.driftSeconds > 0));
  const headline =
    status.state === 'paused'
      ? 'Sync paused'
      : status.health === 'failing'
        ? `Sync failing: ${failing.map((f) => f.flow).join(', ')}`
        : status.health === 'attention'
          ? failing.length
            ? `Needs a look: ${failing.map((f) => f.flow).join(', ')}`
            : `${status.openExceptions} exception${status.openExceptions === 1 ? '' : 's'} to review`
          : 'Sync running';
  const extras = [
    status.dryRun ? 'DRY RUN' : null,
    status.openExceptions && status.health !== 'attention' ? `${status.openExceptions} open exceptions` : null,
  ].filter(Boolean);
  return {
    icon,
    tooltip: ['Marketplace Console', headline, ...extras].join(' — '),
    menu: [
      { id: 'open', label: 'Open console', enabled: true },
      { id: 'run-now', label: 'Run now', enabled: status.state !== 'stopped' },
      status.state === 'paused'
        ? { id: 'resume', label: 'Resume sync', enabled: true }
        : { id: 'pause', label: 'Pause sync', enabled: status.state === 'running' },
      { id: 'quit', label: 'Quit', enabled: true },
    ],
  };
}
