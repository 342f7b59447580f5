import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The runnable jar the Maven reactor builds before this module (CONTENTGEN_JAR overrides it). */
export const JAR =
  process.env["CONTENTGEN_JAR"] ??
  resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../../../cli/target/contentgen.jar");

const started = new Set<ChildProcess>();
// A test process that ends for any reason takes the nodes it started with it.
process.on("exit", () => {
  for (const child of started) {
    child.kill("SIGKILL");
  }
});

/** A JDK 21+, found the way ./contentgen finds one: JAVA_HOME, then `java` on PATH, then /usr/lib/jvm. */
export function findJava(): string {
  const candidates: string[] = [];
  if (process.env["JAVA_HOME"]) {
    candidates.push(join(process.env["JAVA_HOME"], "bin", "java"));
  }
  candidates.push("java");
  for (const root of ["/usr/lib/jvm", "/opt/java"]) {
    if (existsSync(root)) {
      for (const dir of readdirSync(root).sort()) {
        candidates.push(join(root, dir, "bin", "java"));
      }
    }
  }
  for (const candidate of candidates) {
    // `java -version` prints on stderr.
    const run = spawnSync(candidate, ["-version"], { encoding: "utf8" });
    const match = /version "(\d+)/.exec(`${run.stderr ?? ""}${run.stdout ?? ""}`);
    if (match && Number(match[1]) >= 21) {
      return candidate;
    }
  }
  throw new Error("The tests need Java 21 or newer; none found in JAVA_HOME, PATH or /usr/lib/jvm.");
}

let java: string | undefined;

function javaCommand(): string {
  java ??= findJava();
  return java;
}

export interface NodeOptions {
  /** The data directory; a fresh temporary one when absent. Reuse it to restart the same node. */
  dataDir?: string;
  /** The port; 0 (a free one) when absent. */
  port?: number;
  /** More `serve` flags, e.g. ["--workers", "0"]. */
  args?: string[];
}

/** A contentgen node as a real process on loopback, started from the jar. */
export class ContentGenNode {
  readonly dataDir: string;
  private child: ChildProcess | null = null;
  private output = "";
  port = 0;

  private constructor(
    dataDir: string,
    private readonly args: string[],
  ) {
    this.dataDir = dataDir;
  }

  /** Starts a node and waits for its `listening on http://127.0.0.1:PORT` line. */
  static async start(options: NodeOptions = {}): Promise<ContentGenNode> {
    const node = new ContentGenNode(options.dataDir ?? newDataDir(), options.args ?? []);
    await node.launch(options.port ?? 0);
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the node printed so far (for failure messages). */
  get log(): string {
    return this.output;
  }

  /** SIGKILL: the node dies at once, mid-whatever, as in a crash. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 20 s. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  /** SIGSTOP: the node freezes, connections stay open and carry nothing, as in a long pause. */
  freeze(): void {
    this.child?.kill("SIGSTOP");
  }

  /** SIGCONT: a frozen node carries on where it was. */
  thaw(): void {
    this.child?.kill("SIGCONT");
  }

  /** Starts the node again on the same port and data directory. */
  async restart(): Promise<void> {
    await this.launch(this.port);
  }

  /** Kills the node and deletes its data directory. */
  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async launch(port: number): Promise<void> {
    const args = [
      "--enable-native-access=ALL-UNNAMED",
      "-jar",
      JAR,
      "serve",
      "--port",
      String(port),
      "--data-dir",
      this.dataDir,
      "--tokens-per-second",
      "200",
      "--heartbeat",
      "1s",
      ...this.args,
    ];
    const child = spawn(javaCommand(), args, { stdio: ["ignore", "pipe", "pipe"] });
    started.add(child);
    this.child = child;
    this.port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => fail(new Error("the node did not start within 90 s")), 90_000);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`${e.message}\n--- node output ---\n${this.output}`));
      };
      const onData = (chunk: Buffer): void => {
        this.output += chunk.toString("utf8");
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.output.slice(-4000));
        if (match) {
          clearTimeout(timer);
          resolvePort(Number(match[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code, signal) => fail(new Error(`the node exited (${code ?? signal}) before listening`)));
    });
    child.removeAllListeners("exit");
    this.output = this.output.slice(-20_000);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.once("exit", () => {
        clearTimeout(timer);
        started.delete(child);
        done();
      });
      child.kill(signal);
    });
  }
}

/** A fresh temporary data directory. */
export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), "contentgen-js-test-"));
}

/** Creates an API key for `name` in the store of `dataDir` (before a node starts on it) and returns its secret. */
export function createKey(dataDir: string, name: string): string {
  const out = execFileSync(
    javaCommand(),
    ["--enable-native-access=ALL-UNNAMED", "-jar", JAR, "keys", "create", "--name", name, "--data-dir", dataDir, "--json"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  return (JSON.parse(out) as { secret: string }).secret;
}
