// Real processes for the example's test: a contentgen node from the jar, the built Next.js app
// (`next start`), and Debian's Chromium through playwright-core (which never downloads a browser).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
export const APP_DIR = resolve(here, "..");
export const JAR = process.env.CONTENTGEN_JAR ?? resolve(here, "../../../cli/target/contentgen.jar");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const started = new Set();
process.on("exit", () => started.forEach((child) => child.kill("SIGKILL")));

/** A JDK 21+, found the way ./contentgen finds one: JAVA_HOME, then `java` on PATH, then /usr/lib/jvm. */
function findJava() {
  const candidates = process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, "bin", "java")] : [];
  candidates.push("java");
  if (existsSync("/usr/lib/jvm")) {
    candidates.push(...readdirSync("/usr/lib/jvm").sort().map((dir) => join("/usr/lib/jvm", dir, "bin", "java")));
  }
  for (const candidate of candidates) {
    const run = spawnSync(candidate, ["-version"], { encoding: "utf8" });
    const match = /version "(\d+)/.exec(`${run.stderr ?? ""}${run.stdout ?? ""}`);
    if (match && Number(match[1]) >= 21) {
      return candidate;
    }
  }
  throw new Error("The test needs Java 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm.");
}
const java = findJava();

/** A free port on loopback (Next.js must know its own origin before contentgen allows it for CORS). */
export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** A child process whose output is kept, and whose readiness is a line matching `ready`. */
class Process {
  output = "";
  child = null;

  async spawn(command, args, options, ready, what) {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    started.add(child);
    this.child = child;
    child.once("exit", () => started.delete(child));
    return new Promise((resolveMatch, reject) => {
      const timer = setTimeout(() => fail(`${what} did not start within 120 s`), 120_000);
      const fail = (message) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`${message}\n--- output ---\n${this.output}`));
      };
      const onData = (chunk) => {
        this.output += chunk.toString("utf8");
        const match = ready.exec(this.output);
        if (match) {
          clearTimeout(timer);
          child.removeAllListeners("exit");
          child.once("exit", () => started.delete(child));
          resolveMatch(match);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code, signal) => fail(`${what} exited (${code ?? signal}) before it was ready`));
    });
  }

  signal(name) {
    this.child?.kill(name);
  }

  async kill() {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    await new Promise((done) => {
      child.once("exit", done);
      child.kill("SIGKILL");
    });
  }
}

/** A contentgen node on loopback, in key mode, allowing the app's origin for CORS. */
export class ContentGenNode extends Process {
  static async start(appOrigin) {
    const node = new ContentGenNode();
    node.dataDir = mkdtempSync(join(tmpdir(), "contentgen-nextjs-test-"));
    const out = execFileSync(java, [...node.jvm(), "keys", "create", "--name", "web", "--data-dir", node.dataDir, "--json"], {
      encoding: "utf8",
    });
    node.key = JSON.parse(out).secret;
    node.appOrigin = appOrigin;
    node.port = 0;
    await node.launch();
    return node;
  }

  jvm() {
    return ["--enable-native-access=ALL-UNNAMED", "-jar", JAR];
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async launch() {
    this.output = "";
    const [, port] = await this.spawn(
      java,
      [...this.jvm(), "serve", "--port", String(this.port), "--data-dir", this.dataDir, "--tokens-per-second", "150",
        "--heartbeat", "500ms", "--lease", "3s", "--cors-origin", this.appOrigin],
      {},
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      "the contentgen node",
    );
    this.port = Number(port);
  }

  /** The same port and data directory again, after a kill. */
  async restart() {
    await this.launch();
  }

  async close() {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The built app (`next build` ran before), served by `next start`. */
export class NextApp extends Process {
  static async start(port, env) {
    const app = new NextApp();
    app.port = port;
    await app.spawn(
      process.execPath,
      [join(APP_DIR, "node_modules", "next", "dist", "bin", "next"), "start", "--hostname", "127.0.0.1", "--port", String(port)],
      { cwd: APP_DIR, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } },
      /Ready in/,
      "next start",
    );
    return app;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
}
