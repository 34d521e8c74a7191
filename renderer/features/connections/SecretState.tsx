/** Whether the engine holds a password or key: the console never learns the value, only this. */
export function SecretState({ set, testId }: { set: boolean; testId: string }) {
  return (
    <span className={`secret-state ${set ? 'secret-set' : 'secret-unset'}`} data-testid={testId}>
      {set ? 'set' : 'not set'}
    </span>
  );
}
