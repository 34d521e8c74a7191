/** Whether the desktop app starts in the tray at Windows sign-in; saved as soon as it is ticked or unticked. */
export function DesktopSetting({ on, saving, onChange }: { on: boolean; saving: boolean; onChange: (startAtSignIn: boolean) => void }) {
  return (
    <fieldset className="desktop-setting">
      <legend>Desktop app</legend>
      <label className="check">
        <input type="checkbox" checked={on} disabled={saving} onChange={() => onChange(!on)} />
        Start in the tray when I sign in to Windows
      </label>
      <p className="hint">
        On by default, so sync never waits for someone to open the console after a restart. Only the desktop app on Windows uses this; a console opened in a
        browser does not.
      </p>
    </fieldset>
  );
}
