import type { EventName, EventPayload } from '../../shared/contract';

export type EngineEventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/** The engine's event stream: every host fans these out to its consoles (IPC, WebSocket) and its tray. */
export class EventStream {
  private listeners = new Set<EngineEventListener>();

  subscribe(listener: EngineEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // A console that fails to take an event must not stop the engine or the other consoles.
      }
    }
  }
}
