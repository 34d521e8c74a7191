import { CONTRACT_VERSION, type CommandName, type QueryName } from '../../shared/contract';
import type { SocketFactory, SocketHandlers } from '../../renderer/api/ws-client';
import type { FakeApi } from './fake-api';

/** A socket the test drives by hand: it records frames the client sends and plays the server's part. */
export class FakeSocketServer {
  readonly urls: string[] = [];
  readonly sent: Array<Record<string, unknown>> = [];
  private handlers: SocketHandlers | null = null;
  /** When set, requests are answered by this fake engine, as the headless host would. */
  engine: FakeApi | null = null;

  readonly factory: SocketFactory = (url, handlers) => {
    this.urls.push(url);
    this.handlers = handlers;
    return {
      send: (data) => {
        const message = JSON.parse(data) as { id: number; kind: string; name: string; payload: never };
        this.sent.push(message);
        if (this.engine) void this.answer(message);
      },
      close: () => undefined,
    };
  };

  open(): void {
    this.handlers?.open();
  }
  close(code = 1006): void {
    const h = this.handlers;
    this.handlers = null;
    h?.close(code, '');
  }
  receive(frame: unknown): void {
    this.handlers?.message(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  private async answer(m: { id: number; kind: string; name: string; payload: never }): Promise<void> {
    const engine = this.engine!;
    try {
      const result = m.kind === 'query' ? await engine.query(m.name as QueryName, m.payload) : await engine.command(m.name as CommandName, m.payload);
      this.receive({ v: CONTRACT_VERSION, kind: 'reply', id: m.id, ok: true, result });
    } catch (e) {
      this.receive({ v: CONTRACT_VERSION, kind: 'reply', id: m.id, ok: false, error: { code: 'failed', message: (e as Error).message } });
    }
  }
  /** Requests the client sent with this name. */
  named(name: string): Array<Record<string, unknown>> {
    return this.sent.filter((m) => m.name === name);
  }
  /** The id of the last request the client sent. */
  lastId(): number {
    return this.sent.at(-1)?.id as number;
  }
}
