import type { SocketFactory, SocketHandlers } from '../../renderer/api/ws-client';

/** A socket the test drives by hand: it records frames the client sends and plays the server's part. */
export class FakeSocketServer {
  readonly urls: string[] = [];
  readonly sent: Array<Record<string, unknown>> = [];
  private handlers: SocketHandlers | null = null;

  readonly factory: SocketFactory = (url, handlers) => {
    this.urls.push(url);
    this.handlers = handlers;
    return {
      send: (data) => this.sent.push(JSON.parse(data) as Record<string, unknown>),
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
  /** The id of the last request the client sent. */
  lastId(): number {
    return this.sent.at(-1)?.id as number;
  }
}
