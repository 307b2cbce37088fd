/**
 * A real redis-server for tests: Debian's `redis-server` (CI installs it with apt), started on 127.0.0.1 on a free
 * port with no persistence (`--save '' --appendonly no`), in a temporary folder, and stopped by its pid.
 *
 *   const REDIS = redisServerForTests();            // throws under CI when redis-server is missing; null locally
 *   describe.skipIf(!REDIS)('…', () => {
 *     let redis: RunningRedis;
 *     beforeAll(async () => { redis = await startRedis(); });
 *     afterAll(() => redis?.stop());
 *     // redis.command(['SET', 'k', 'v']), redis.url for a child process, await redis.connect() for a 2nd client
 *   });
 *
 * Set REDIS_SERVER to use another binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient } from 'redis';

/** Sends one command (`['SET', 'k', 'v']`) and resolves to its reply: what `redisOutbox({ command })` takes. */
export type RedisCommand = (args: readonly string[]) => Promise<unknown>;

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`, for a client in another process. */
  readonly url: string;
  readonly port: number;
  /** The redis-server's pid. */
  readonly pid: number;
  /** One command on this helper's own connection. */
  command: RedisCommand;
  /** A new connection (another "process"'s client), closed by `stop()`. */
  connect(): Promise<RedisCommand>;
  /** Closes the connections, stops the server by its pid (SIGTERM, then SIGKILL) and removes its folder. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The redis-server binary: $REDIS_SERVER, /usr/bin/redis-server, or one on PATH; null when there is none. */
export function findRedisServer(): string | null {
  const explicit = process.env.REDIS_SERVER;
  if (explicit) return isExecutable(explicit) ? explicit : null;
  const candidates = ['/usr/bin/redis-server', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'redis-server'))];
  return candidates.find(isExecutable) ?? null;
}

const inCi = () => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
};

/**
 * The redis-server to test with. Missing: under CI it throws (the test file fails to load: never a silent skip),
 * locally it says why the Redis tests are skipped and returns null.
 */
export function redisServerForTests(): string | null {
  const path = findRedisServer();
  if (path) return path;
  const why = `no redis-server (looked at ${process.env.REDIS_SERVER ? `REDIS_SERVER=${process.env.REDIS_SERVER}` : '/usr/bin/redis-server and PATH'})`;
  if (inCi()) throw new Error(`${why}: CI must install it (apt-get install -y redis-server); the Redis tests may not be skipped under CI`);
  console.warn(`Skipping the Redis tests: ${why}. Install it with \`apt-get install redis-server\` or set REDIS_SERVER.`);
  return null;
}

/** A port nobody listens on right now (the server may still lose a race for it: startRedis retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server on `port`; resolves once it accepts connections, rejects with its output if it exits first. */
function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} not ready after ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
}

/** Starts a real redis-server for this test file: see the top of this file. */
export async function startRedis(): Promise<RunningRedis> {
  const binary = findRedisServer();
  if (!binary) throw new Error('startRedis: no redis-server (apt-get install redis-server, or set REDIS_SERVER)');
  const dir = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(binary, port, dir);
    } catch (error) {
      lastError = error; // most likely another process took the port in between: try another
    }
  }
  if (!child || child.pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError instanceof Error ? lastError : new Error('startRedis: redis-server did not start');
  }
  const server = child;
  const pid = child.pid;
  // A test run that dies without stop() must not leave the server behind.
  const killOnExit = () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);

  const url = `redis://127.0.0.1:${port}`;
  const clients: ReturnType<typeof createClient>[] = [];
  const connect = async (): Promise<RedisCommand> => {
    // No reconnecting: a test that stops the server wants the failure, not a retry loop.
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    // node-redis throws an 'error' event with no listener; the failing command rejects with the same error.
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return (args) => client.sendCommand([...args]);
  };
  const command = await connect();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.allSettled(clients.map((client) => (client.isOpen ? client.close() : undefined)));
      const gone = exited(server);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => killOnExit(), STOP_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    })());

  return { url, port, pid, command, connect, stop };
}
