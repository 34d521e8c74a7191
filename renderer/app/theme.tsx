import { useState } from 'react';

/** Light or dark for this console, or whatever the operating system is set to (the default). Kept per PC. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'marketplace-console.theme';

const CHOICES: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'As Windows' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function readTheme(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): ThemeChoice {
  try {
    const stored = storage?.getItem(THEME_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

/** Puts the choice on the page: the stylesheet follows the operating system unless `data-theme` names one. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** The header's theme switch. */
export function ThemeSwitch() {
  const [choice, setChoice] = useState<ThemeChoice>(() => readTheme());
  return (
    <label className="theme-switch">
      <span>Theme</span>
      <select
        value={choice}
        aria-label="Theme"
        data-testid="theme"
        onChange={(e) => {
          const next = e.target.value as ThemeChoice;
          setChoice(next);
          applyTheme(next);
          try {
            if (next === 'system') localStorage.removeItem(THEME_KEY);
            else localStorage.setItem(THEME_KEY, next);
          } catch {
            // Storage refused (private window): the choice holds until the console is closed.
          }
        }}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
