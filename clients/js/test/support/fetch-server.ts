import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A handler in the shape of a Next.js route handler, or any server built on the Fetch API. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * A node:http server on loopback that runs a Fetch API handler: the request's signal aborts when
 * the client goes away, and the response body is written chunk by chunk as the handler makes it
 * (as Next.js does), so a proxy's buffering would show.
 */
export class FetchServer {
  private constructor(private readonly server: Server) {}

  port = 0;

  static async start(handler: FetchHandler): Promise<FetchServer> {
    const server = createServer((req, res) => {
      void serve(handler, req, res);
    });
    const fetchServer = new FetchServer(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    fetchServer.port = (server.address() as { port: number }).port;
    return fetchServer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const gone = new AbortController();
  res.on("close", () => gone.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") {
      headers.set(name, value);
    }
  }
  const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, signal: gone.signal });
  let response: Response;
  try {
    response = await handler(request);
  } catch (e) {
    res.writeHead(500, { "Content-Type": "text/plain" }).end(String(e));
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  gone.signal.addEventListener("abort", () => void reader.cancel().catch(() => {}), { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      res.write(value);
    }
  } catch {
    // The client went away mid-body.
  }
  res.end();
}
