// The network between one desktop and the sync server: a TCP proxy in the run's process. The
// desktop's server URL points at it, so cutting it is what a dropped Wi-Fi does to the desktop:
// connections die mid-request or mid-response (a reset), and new ones are refused until it heals.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class NetworkLink {
  #up = true;
  #delayMs = 0;
  /** Bytes left before the armed cut falls (null: none armed). */
  #cutAfter: number | null = null;
  readonly #sockets = new Set<Socket>();
  cuts = 0;

  private constructor(
    readonly name: string,
    private readonly server: Server,
    readonly port: number,
    private readonly upstreamPort: number,
    private readonly onCut: (how: string) => void,
  ) {}

  static open(name: string, upstreamPort: number, onCut: (how: string) => void = () => {}): Promise<NetworkLink> {
    return new Promise((resolve, reject) => {
      let link: NetworkLink;
      const server = createServer({ allowHalfOpen: true }, (client) => link.#accept(client));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        link = new NetworkLink(name, server, (server.address() as { port: number }).port, upstreamPort, onCut);
        resolve(link);
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get up(): boolean {
    return this.#up;
  }

  get delayMs(): number {
    return this.#delayMs;
  }

  /** Every open connection is reset, and new ones are refused until heal(). */
  cut(): void {
    this.#up = false;
    this.#cutAfter = null;
    this.cuts++;
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
  }

  /** Accepts connections again (and drops a cut that was armed). */
  heal(): void {
    this.#up = true;
    this.#cutAfter = null;
  }

  /** Cuts once `bytes` more have crossed the link, either way: the cut lands mid-transfer. */
  armCut(bytes: number): void {
    if (this.#up) this.#cutAfter = bytes;
  }

  /** Holds each chunk this long before passing it on (a slow link), keeping their order. */
  setDelay(ms: number): void {
    this.#delayMs = ms;
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    return new Promise((done) => this.server.close(() => done()));
  }

  #accept(client: Socket): void {
    if (!this.#up) return void client.resetAndDestroy();
    const upstream = connect({ port: this.upstreamPort, host: '127.0.0.1', allowHalfOpen: true });
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const drop = () => {
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    this.#pipe(client, upstream);
    this.#pipe(upstream, client);
  }

  #pipe(from: Socket, to: Socket): void {
    let queue = Promise.resolve();
    const pass = (write: () => void) => {
      const delay = this.#delayMs;
      if (delay === 0) return write();
      queue = queue.then(() => new Promise<void>((done) => setTimeout(done, delay))).then(write);
    };
    from.on('data', (chunk: Buffer) => {
      if (this.#cutAfter !== null) {
        this.#cutAfter -= chunk.length;
        if (this.#cutAfter <= 0) {
          // Part of the chunk goes through: the other end sees a message cut in two.
          const part = chunk.subarray(0, Math.max(0, chunk.length + this.#cutAfter));
          if (part.length > 0 && !to.destroyed) to.write(part);
          this.onCut(`armed cut after ${part.length} of ${chunk.length} bytes`);
          this.cut();
          return;
        }
      }
      pass(() => {
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on('end', () =>
      pass(() => {
        if (!to.destroyed) to.end();
      }),
    );
  }
}
