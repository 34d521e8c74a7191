import { useId, useState } from 'react';
import type { DesktopSettings } from '../../../shared/domain/settings';

/** The desktop app's own settings: starting at Windows sign-in (saved at once) and the update feed IT sets. */
export function DesktopSetting({
  desktop,
  saving,
  onSave,
}: {
  desktop: DesktopSettings;
  saving: boolean;
  onSave: (patch: Partial<DesktopSettings>, done: string) => void;
}) {
  const [feed, setFeed] = useState(desktop.updateFeedUrl ?? '');
  const [error, setError] = useState<string | null>(null);
  const feedId = useId();
  const saveFeed = () => {
    const url = feed.trim();
    if (url && !/^https?:\/\/[^\s]+$/.test(url)) {
      setError('An update feed is a web address starting http:// or https://, e.g. https://intranet.example.co.uk/marketplace-console/');
      return;
    }
    setError(null);
    onSave({ updateFeedUrl: url || null }, url ? `The desktop app looks for new versions at ${url}.` : 'The desktop app no longer looks for new versions.');
  };
  return (
    <fieldset className="desktop-setting">
      <legend>Desktop app</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={desktop.startAtSignIn}
          disabled={saving}
          onChange={() =>
            onSave(
              { startAtSignIn: !desktop.startAtSignIn },
              desktop.startAtSignIn ? 'The desktop app no longer starts at sign-in.' : 'The desktop app starts in the tray when you sign in to Windows.',
            )
          }
        />
        Start in the tray when I sign in to Windows
      </label>
      <p className="hint">
        On by default, so sync never waits for someone to open the console after a restart. Only the desktop app on Windows uses this; a console opened in a
        browser does not.
      </p>
      <label htmlFor={feedId}>Update feed (for IT)</label>
      <div className="inline-field">
        <input
          id={feedId}
          value={feed}
          maxLength={500}
          placeholder="none: updated by IT's installer"
          aria-invalid={error !== null}
          onChange={(e) => setFeed(e.target.value)}
        />
        <button type="button" disabled={saving || feed.trim() === (desktop.updateFeedUrl ?? '')} onClick={saveFeed}>
          Save feed
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="hint">
        The web folder holding the installer and its latest.yml. With one set, the installed app checks it at start and every 6 hours, downloads a new version
        in the background and installs it when the app next quits.
      </p>
    </fieldset>
  );
}
