import type { FlowName } from '../../shared/domain/flows';
import { FLOW_LABELS } from '../format/words';
import { useConsole } from '../store/react';

/** Says when nothing on the screen will move: the engine does not run the flow, or it is switched off. */
export function FlowNotice({ flow }: { flow: FlowName }) {
  const status = useConsole((s) => s.status);
  const entry = status?.flows.find((f) => f.flow === flow);
  if (!status || entry?.enabled) return null;
  const name = FLOW_LABELS[flow].toLowerCase();
  return (
    <p className="muted flow-notice" data-testid="flow-notice">
      {entry
        ? `The ${name} flow is switched off (Settings, Flow schedules): what is below does not change until it is on.`
        : `This engine does not run the ${name} flow: what is below does not change until it does.`}
    </p>
  );
}
