import { useMemo } from 'react';
import { AVAILABLE_FLOWS, type FlowName } from '../../shared/domain/flows';
import { useConsole } from './react';

/** The flows the connected engine runs (its status says which): only these are offered anywhere in the console. */
export function useEngineFlows(): readonly FlowName[] {
  const flows = useConsole((s) => s.status?.flows);
  return useMemo(() => (flows ? flows.map((f) => f.flow) : AVAILABLE_FLOWS), [flows]);
}
