// A loopback TCP proxy that can cut the link, for the fault tests. A cut is a
// black hole, not a reset: nothing flows either way and nothing is closed, as
// when a cable or a router goes; connections opened meanwhile are accepted but
// not carried on. Whatever notices first decides: the endpoints' keepalives, or
// `restore()`, after which the held bytes flow on as TCP's retransmits would.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket | null;
}

export class LinkProxy {
  private readonly pairs = new Set<Pair>();
  private cut = false;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<LinkProxy> {
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new LinkProxy(server, target);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections carried (or held) now. */
  get connections(): number {
    return this.pairs.size;
  }

  cutLink(): void {
    this.cut = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  restoreLink(): void {
    this.cut = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) this.link(pair);
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  /** Resets every connection now (what a cut held is lost with it) and carries new ones again. */
  resetLinks(): void {
    for (const pair of [...this.pairs]) this.drop(pair);
    this.cut = false;
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, upstream: null };
    this.pairs.add(pair);
    client.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    if (!this.cut) {
      this.link(pair);
      client.resume();
    }
  }

  private link(pair: Pair): void {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    this.forward(pair.client, upstream);
    this.forward(upstream, pair.client);
  }

  /** Data one way, with back-pressure; during a cut the paused sockets hold it. */
  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.cut) from.resume();
    });
    from.on('end', () => to.end());
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
