import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FleetFile } from '../collector/fleet-file.ts';
import { routeNotFound } from './flink-errors.ts';
import { fleetFileOf } from './fleet-file-of.ts';
import { generateFleet } from './fleet-generator.ts';
import { clusterExposition } from './prometheus.ts';
import { answer } from './rest-api.ts';
import { Simulation } from './simulation.ts';
import type { GroundTruth } from './truth.ts';
import type { FleetSpec } from './types.ts';

export interface StartSimulatorOptions {
  jobs?: number;
  seed?: number;
  /** Aim for about this many TaskManagers in total (see GenerateFleetOptions). */
  taskManagers?: number;
  /** REST port (0 = any free port). */
  port?: number;
  /** Prometheus exposition port (0 = any free port). */
  prometheusPort?: number;
  /** Simulated milliseconds per wall-clock millisecond. */
  speed?: number;
  flinkVersion?: string;
  /** Simulated time at start (default: the fleet's epoch). */
  startTime?: number;
  /** Serve this fleet instead of generating one. */
  fleet?: FleetSpec;
  host?: string;
}

export interface SimulatorHandle {
  /** The REST root of a cluster, e.g. http://127.0.0.1:8081/clusters/orders-enrichment. */
  restRoot(cluster: string): string;
  restUrl: string;
  fleetFile: FleetFile;
  /** Base of the Prometheus exposition; each cluster's is at `${prometheusUrl}/clusters/<name>/metrics`. */
  prometheusUrl: string;
  clock: { now(): number };
  fleet: FleetSpec;
  simulation: Simulation;
  truth: GroundTruth;
  close(): Promise<void>;
}

/** Serves a fleet on loopback: Flink's REST API per cluster below /clusters/<name>, and Prometheus. */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<SimulatorHandle> {
  const fleet = options.fleet ?? generateFleet({
      jobs: options.jobs ?? 20,
      seed: options.seed ?? 1,
      flinkVersion: options.flinkVersion,
      ...(options.taskManagers ? { taskManagers: options.taskManagers } : {}),
    });
  const simulation = new Simulation(fleet);
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error('speed must be > 0');
  const startTime = options.startTime ?? fleet.epoch;
  // Monotonic: a wall-clock step (NTP) must not run simulated time, and so the counters, backwards.
  const wallStart = performance.now();
  const clock = { now: () => Math.floor(startTime + (performance.now() - wallStart) * speed) };
  const host = options.host ?? '127.0.0.1';

  const rest = createServer((req, res) => serve(req, res, clock.now(), (uri, cluster, rest, t) => {
    const url = new URL(uri, 'http://simulator');
    const found = simulation.clusters.get(cluster);
    if (!found) return { status: 404, body: routeNotFound(uri).body, type: 'json' };
    const reply = answer(simulation, found, uri, rest, url.searchParams, t);
    return { status: reply.status, body: reply.body, type: 'json' };
  }));
  const prometheus = createServer((req, res) => serve(req, res, clock.now(), (_uri, cluster, rest, t) => {
    const found = simulation.clusters.get(cluster);
    if (!found || rest !== '/metrics') return { status: 404, body: 'Not found\n', type: 'text' };
    return { status: 200, body: clusterExposition(simulation, found, t), type: 'text' };
  }));
  const restPort = await listen(rest, options.port ?? 0, host);
  const promPort = await listen(prometheus, options.prometheusPort ?? 0, host);
  const restUrl = `http://${host}:${restPort}`;
  return {
    restRoot: (cluster) => `${restUrl}/clusters/${encodeURIComponent(cluster)}`,
    restUrl,
    fleetFile: fleetFileOf(fleet, restUrl),
    prometheusUrl: `http://${host}:${promPort}`,
    clock,
    fleet,
    simulation,
    truth: simulation.truth,
    close: async () => {
      await Promise.all([close(rest), close(prometheus)]);
    },
  };
}

type Handler = (uri: string, cluster: string, rest: string, t: number) => { status: number; body: unknown; type: 'json' | 'text' };

/**
 * Answers one request at simulated time t. The `Date` header carries t (RFC 7231 IMF-fixdate, whole
 * seconds) so clients can timestamp what they read by the simulated clock rather than their own,
 * which runs slower under --speed. Flink's REST handlers send no Date; it is standard HTTP and
 * clients that do not look for it are unaffected. Body and header come from the same t.
 */
function serve(req: IncomingMessage, res: ServerResponse, t: number, handle: Handler): void {
  const uri = req.url ?? '/';
  const path = uri.split('?')[0]!;
  const match = /^\/clusters\/([^/]+)(\/.*)?$/.exec(path);
  let reply: ReturnType<Handler>;
  if (req.method !== 'GET' && req.method !== 'HEAD') reply = { status: 405, body: { errors: [`Not found: ${uri}`] }, type: 'json' };
  else if (!match) reply = { status: 404, body: routeNotFound(uri).body, type: 'json' };
  else {
    try {
      reply = handle(uri, decodeURIComponent(match[1]!), match[2] ?? '/', t);
    } catch (error) {
      reply = { status: 500, body: { errors: ['Internal server error.', `<Exception on server side:\n${(error as Error).stack}\nEnd of exception on server side>`] }, type: 'json' };
    }
  }
  const text = reply.type === 'json' ? JSON.stringify(reply.body) : String(reply.body);
  res.writeHead(reply.status, {
    'content-type': reply.type === 'json' ? 'application/json; charset=UTF-8' : 'text/plain; version=0.0.4; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    date: httpDate(t),
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

let lastDate = { second: Number.NaN, text: '' };

/** IMF-fixdate of t, e.g. "Mon, 06 Jan 2025 00:00:00 GMT" (formatted once per simulated second). */
export function httpDate(t: number): string {
  const second = Math.floor(t / 1000);
  if (second !== lastDate.second) lastDate = { second, text: new Date(second * 1000).toUTCString() };
  return lastDate.text;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  // Keep idle keep-alive connections open between a collector's polls.
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
