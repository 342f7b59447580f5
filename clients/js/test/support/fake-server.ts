import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A few lines of HTTP that play a server a real node cannot be (one that answers HTML, a newer protocol…). */
export class FakeServer {
  readonly requests: IncomingMessage[] = [];
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<FakeServer> {
    const requests: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      requests.push(req);
      handler(req, res, requests.length);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const fake = new FakeServer(server, (server.address() as { port: number }).port);
    (fake as { requests: IncomingMessage[] }).requests = requests;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

/** A port nothing listens on (taken, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
