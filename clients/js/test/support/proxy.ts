import { createServer, type Server, type Socket, connect } from "node:net";

/** A seeded random number generator (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes from the server still to forward before this connection is cut (Infinity: never). */
  budget: number;
  /** Bytes from the server still to forward before this connection goes silent (Infinity: never). */
  silentAfter: number;
}

/**
 * A TCP proxy on loopback between a client and a contentgen node that breaks connections on
 * purpose: cuts responses after a random number of bytes (a FIN or a reset), or goes silent
 * without closing (as a stuck proxy does). It shortens the server's `retry:` hint a hundredfold,
 * keeping the byte count, so that many reconnections fit in a short test.
 */
export class FaultyProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private cutting: { random: () => number; minBytes: number; maxBytes: number } | null = null;
  private silenceNextAfter: number | null = null;
  /** Connections cut so far. */
  cuts = 0;
  /** Connections made silent so far. */
  silenced = 0;
  /** Connections accepted so far. */
  connections = 0;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<FaultyProxy> {
    const proxy = new FaultyProxy(targetPort);
    await new Promise<void>((done) => proxy.server.listen(0, "127.0.0.1", done));
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** From now on every response is cut after between `minBytes` and `maxBytes` bytes. */
  cutRandomly(random: () => number, minBytes: number, maxBytes: number): void {
    this.cutting = { random, minBytes, maxBytes };
  }

  /** Lets every later connection through whole. */
  stopCutting(): void {
    this.cutting = null;
  }

  /** The next connection forwards `bytes` bytes of its response, then nothing more, and stays open. */
  silenceNextConnectionAfter(bytes: number): void {
    this.silenceNextAfter = bytes;
  }

  /** Cuts every open connection now. */
  cutAll(): void {
    for (const pair of this.pairs) {
      this.cut(pair, false);
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private accept(client: Socket): void {
    this.connections++;
    const upstream = connect(this.targetPort, "127.0.0.1");
    const budget = this.cutting
      ? Math.floor(this.cutting.minBytes + this.cutting.random() * (this.cutting.maxBytes - this.cutting.minBytes))
      : Infinity;
    const silentAfter = this.silenceNextAfter ?? Infinity;
    if (this.silenceNextAfter !== null) {
      this.silenceNextAfter = null;
      this.silenced++;
    }
    const pair: Pair = { client, upstream, budget, silentAfter };
    this.pairs.add(pair);
    client.on("data", (chunk: Buffer) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => this.forward(pair, chunk));
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", () => {});
    upstream.on("error", () => {});
  }

  private forward(pair: Pair, chunk: Buffer): void {
    let data = shortenRetry(chunk);
    if (pair.silentAfter !== Infinity) {
      if (pair.silentAfter <= 0) {
        return; // Silent: swallow everything, close nothing.
      }
      data = data.subarray(0, pair.silentAfter);
      pair.silentAfter -= data.length;
      pair.client.write(data);
      return;
    }
    if (data.length < pair.budget) {
      pair.budget -= data.length;
      pair.client.write(data);
      return;
    }
    pair.client.write(data.subarray(0, pair.budget), () => this.cut(pair, (this.cutting?.random() ?? 0) < 0.5));
    pair.budget = 0;
    pair.upstream.pause();
  }

  private cut(pair: Pair, reset: boolean): void {
    if (!this.pairs.delete(pair)) {
      return;
    }
    this.cuts++;
    if (reset) {
      pair.client.resetAndDestroy();
    } else {
      pair.client.destroy();
    }
    pair.upstream.destroy();
  }
}

/** `retry: 2000` becomes `retry: 0020`: a hundred times shorter, the same number of bytes. */
function shortenRetry(chunk: Buffer): Buffer {
  const text = chunk.toString("latin1");
  if (!text.includes("retry:")) {
    return chunk;
  }
  const shortened = text.replace(/retry: (\d+)\r?\n/g, (line, digits: string) =>
    line.replace(digits, String(Math.floor(Number(digits) / 100)).padStart(digits.length, "0")),
  );
  return Buffer.from(shortened, "latin1");
}
