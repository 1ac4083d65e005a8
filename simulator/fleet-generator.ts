import type { FleetBudget } from '../collector/fleet-file.ts';
import { resolveFlinkVersion } from '../flink/version.ts';
import { peakLoadFactor } from './load.ts';
import { DOMAINS, PURPOSES, REGIONS, TEAMS } from './names.ts';
import { bufferNeed } from './network-buffers.ts';
import { CALIBRATION, CONNECTOR_METASPACE, subtaskState, type Placement } from './physics.ts';
import { Random } from './random.ts';
import { fineGrainedFor, poolsOf, processSizeFor } from './sizing.ts';
import { buildTopology, type TopologyKind } from './topologies.ts';
import type { ClusterSpec, Connector, FleetSpec, JobSpec, Provisioning, TaskManagerSpec } from './types.ts';

const MiB = 1 << 20;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2025-01-06 00:00 UTC: the default simulated "now" of a fresh fleet. */
export const DEFAULT_EPOCH = Date.UTC(2025, 0, 6);
/** The horizon the generator sizes for: state keeps growing, so a week later the same config may no longer fit. */
const SIZING_HORIZON = 7 * DAY;
/** `taskmanager.memory.segment-size`: Flink's default, which every simulated cluster keeps. */
const SEGMENT_SIZE = 32 * 1024;

export interface GenerateFleetOptions {
  jobs: number;
  seed: number;
  flinkVersion?: string;
  /** Simulated epoch ms the fleet starts at (default Monday 2025-01-06 00:00 UTC). */
  epoch?: number;
  /** Aim for about this many TaskManagers in total by scaling parallelism (benchmarks). */
  taskManagers?: number;
}

const PARALLELISMS: ReadonlyArray<readonly [number, number]> = [
  [1, 6], [2, 10], [4, 14], [6, 6], [8, 12], [12, 6], [16, 8], [24, 4], [32, 4], [48, 2], [64, 2], [96, 1], [128, 1],
];
const PROVISIONING: ReadonlyArray<readonly [Provisioning, number]> = [['generous', 40], ['normal', 35], ['tight', 17], ['oom', 8]];
const HEADROOM: Record<Provisioning, readonly [number, number]> = {
  generous: [2.5, 4],
  normal: [1.5, 2.2],
  tight: [1.1, 1.3],
  oom: [0.85, 0.97],
};

/**
 * Decides a fleet from a seed: application clusters (one job each) and a few session clusters
 * whose jobs share TaskManagers; topologies, load, state, backends and configs from generous to
 * too small. Sizes are chosen against each job's own estimated peak, then Flink derives the pools.
 */
export function generateFleet(options: GenerateFleetOptions): FleetSpec {
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error('jobs must be a positive integer');
  const version = resolveFlinkVersion(options.flinkVersion);
  const flinkVersion = versionText(version.major, version.minor);
  const epoch = options.epoch ?? DEFAULT_EPOCH;
  const { rng, drafts } = options.taskManagers ? draftForSize(options, epoch, options.taskManagers) : draftJobs(options, epoch, 1);
  const jobs = drafts.map((d) => d.job);
  const clusters: ClusterSpec[] = [];
  let hostCounter = 0;
  const nextIp = () => {
    hostCounter++;
    return `10.${(hostCounter >> 16) & 255}.${(hostCounter >> 8) & 255}.${hostCounter & 255}`;
  };
  const groups = new Map<string, Draft[]>();
  for (const d of drafts) groups.set(d.job.cluster, [...(groups.get(d.job.cluster) ?? []), d]);
  for (const [clusterName, members] of groups) {
    const session = members[0]!.session !== undefined;
    const slotsPerTm = members[0]!.slots;
    const start = session ? epoch - Math.round(rng.between(4 * DAY, 10 * DAY)) : members[0]!.job.startTime - 20_000;
    if (session) for (const m of members) m.job.startTime = Math.max(m.job.startTime, start + HOUR);
    const taskManagers: TaskManagerSpec[] = [];
    let nextSlot = 0;
    const tmAt = (index: number): TaskManagerSpec => {
      while (taskManagers.length <= index) {
        const n = taskManagers.length;
        const host = nextIp();
        taskManagers.push({
          id: session ? `${host}:${rng.int(32768, 60999)}-${rng.hex(6)}` : `${clusterName}-taskmanager-1-${n + 1}`,
          cluster: clusterName,
          host,
          dataPort: rng.int(32768, 60999),
          rpcPort: 6122,
          startTime: start + rng.int(5_000, 15_000),
          slotJobs: Array.from({ length: slotsPerTm }, () => null),
          cpuCores: rng.pick([4, 8, 16]),
          physicalMemory: rng.pick([16, 32, 64]) * 1024 * MiB,
        });
      }
      return taskManagers[index]!;
    };
    for (const { job } of members) {
      for (let i = 0; i < job.parallelism; i++) {
        const tm = tmAt(Math.floor(nextSlot / slotsPerTm));
        const slot = nextSlot % slotsPerTm;
        tm.slotJobs[slot] = job.id;
        job.slots.push({ tmId: tm.id, slot });
        nextSlot++;
      }
    }
    const team = session ? TEAMS[members[0]!.session! % TEAMS.length]! : members[0]!.team;
    const namespace = session ? `${team}-shared` : team;
    const config = baseConfig(clusterName, namespace, slotsPerTm, session ? undefined : members[0]!.job, version.major >= 2);
    const target = sizingTarget(members.map((m) => m.job), taskManagers, slotsPerTm, epoch, rng);
    const fine = !session && rng.chance(0.2);
    if (!fine && members.every((m) => m.job.stateBackend === 'hashmap') && rng.chance(0.5)) {
      config['taskmanager.memory.managed.fraction'] = rng.pick(['0.05', '0.1', '0.2']);
    }
    if (target.metaspace > 230 * MiB) config['taskmanager.memory.jvm-metaspace.size'] = `${Math.ceil((target.metaspace * 1.3) / MiB / 16) * 16}m`;
    else if (rng.chance(0.15)) config['taskmanager.memory.jvm-metaspace.size'] = `${Math.ceil((target.metaspace * rng.between(1.05, 1.4)) / MiB / 16) * 16}m`;
    const sized = fine ? fineGrainedFor(config, target) : processSizeFor(config, target, version);
    const memory = poolsOf(sized, version);
    const cluster: ClusterSpec = {
      name: clusterName,
      kind: session ? 'session' : 'application',
      namespace,
      config: sized,
      memory,
      slotsPerTm,
      segmentSize: SEGMENT_SIZE,
      taskManagers,
      jobIds: members.map((m) => m.job.id),
      jmHost: nextIp(),
      startTime: start,
    };
    clusters.push(cluster);
  }
  return { seed: options.seed, flinkVersion, epoch, clusters, jobs, budgets: budgetsFor(clusters) };
}

interface Draft {
  job: JobSpec;
  team: string;
  slots: number;
  session: number | undefined;
  kind: TopologyKind;
}

/** The jobs of a fleet, before clusters and sizes: names, topologies (parallelism times `scale`), load, state. */
function draftJobs(options: GenerateFleetOptions, epoch: number, scale: number): { rng: Random; drafts: Draft[] } {
  const rng = new Random(options.seed);
  const names = new Set<string>();
  const sessionCount = options.jobs >= 8 ? Math.max(1, Math.round(options.jobs / 40)) : 0;
  const sessionJobs = sessionCount === 0 ? 0 : Math.max(2 * sessionCount, Math.round(options.jobs * 0.12));
  const slotChoices: ReadonlyArray<readonly [number, number]> = [[1, 4], [2, 4], [4, 2]];
  const drafts: Draft[] = [];
  for (let i = 0; i < options.jobs; i++) {
    const team = rng.pick(TEAMS);
    const domain = rng.pick(DOMAINS[team]);
    const kind = rng.pick(Object.keys(PURPOSES) as TopologyKind[]);
    let name = `${domain}-${rng.pick(PURPOSES[kind])}`;
    if (names.has(name)) name = `${name}-${rng.pick(REGIONS)}`;
    for (let n = 2; names.has(name); n++) name = `${name.replace(/-v\d+$/, '')}-v${n}`;
    names.add(name);
    const session = i < sessionJobs ? i % sessionCount : undefined;
    const slots = session === undefined ? rng.weighted(slotChoices) : 4;
    const parallelism = Math.max(1, Math.min(512, Math.round(rng.weighted(PARALLELISMS) * scale * (session === undefined ? 1 : 0.5)) || 1));
    const maxParallelism = Math.max(128, 2 ** Math.ceil(Math.log2(parallelism * 1.5)));
    const vertices = buildTopology(kind, rng, parallelism, domain, maxParallelism);
    const connectors = [...new Set(vertices.flatMap((v) => (v.connector ? [v.connector] : [])))];
    connectors.push(rng.pick<Connector>(['avro', 'protobuf', 'avro']));
    const stateful = vertices.some((v) => v.stateShare > 0);
    const stateInitial = stateful ? rng.logBetween(10 * MiB, 1024 * MiB) * parallelism : 0;
    const stateBackend = stateInitial > parallelism * 600 * MiB || (stateful && rng.chance(0.35)) ? 'rocksdb' : 'hashmap';
    // A forced OOM job early in the list, so even small fleets show the failure mode.
    let provisioning: Provisioning = i === Math.min(2, options.jobs - 1) && options.jobs >= 3 ? 'oom' : rng.weighted(PROVISIONING);
    // Jobs of a session cluster share its TaskManagers and so one sizing decision.
    if (session !== undefined && i >= sessionCount) provisioning = drafts[session]!.job.provisioning;
    const id = rng.hex(32);
    const job: JobSpec = {
      id,
      name,
      cluster: session === undefined ? name : `session-${TEAMS[session % TEAMS.length]}-${session + 1}`,
      parallelism: Math.max(...vertices.map((v) => v.parallelism)),
      maxParallelism,
      vertices,
      stateBackend,
      rocksdbNativeMetrics: stateBackend === 'rocksdb' && rng.chance(0.6),
      checkpointIntervalMs: rng.pick([30_000, 60_000, 120_000, 300_000]),
      load: {
        baseRate: rng.logBetween(200, 60_000) * Math.sqrt(parallelism),
        recordBytes: Math.round(rng.logBetween(150, 2500)),
        diurnalAmplitude: rng.between(0.15, 0.6),
        weekendDip: rng.between(0, 0.4),
        peakHour: rng.between(9, 21),
        noise: rng.between(0.02, 0.12),
      },
      state: { initialBytes: stateInitial, growthPerDay: rng.chance(0.5) ? rng.between(0.005, 0.06) : 0, hotFraction: rng.between(0.05, 0.4) },
      connectors,
      userCodeMetaspace: Math.round(rng.between(8, 40) * MiB),
      metaspaceLeakPerRestart: rng.chance(0.1) ? Math.round(rng.between(4, 12) * MiB) : 0,
      startTime: epoch - Math.round(rng.between(2 * HOUR, 3 * DAY)),
      restartDelayMs: rng.pick([1_000, 10_000, 30_000]),
      provisioning,
      slots: [],
    };
    drafts.push({ job, team, slots, session, kind });
  }
  return { rng, drafts };
}

/**
 * Drafts whose TaskManager count is near `wanted`: parallelism sets the count only roughly (slots,
 * sessions, rounding, and a new scale redraws everything after it), so the scale is corrected
 * a few times and the closest draft kept.
 */
function draftForSize(options: GenerateFleetOptions, epoch: number, wanted: number): { rng: Random; drafts: Draft[] } {
  let scale = wanted / options.jobs / 9;
  let best: { rng: Random; drafts: Draft[]; miss: number } | undefined;
  for (let pass = 0; pass < 8 && !(best && best.miss <= 0.01 * wanted); pass++) {
    const drafted = draftJobs(options, epoch, scale);
    const count = taskManagerCount(drafted.drafts);
    if (!best || Math.abs(count - wanted) < best.miss) best = { ...drafted, miss: Math.abs(count - wanted) };
    scale *= wanted / count;
  }
  return best!;
}

/** TaskManagers the drafts will get: slots are handed out in order per cluster, `slots` per TaskManager. */
function taskManagerCount(drafts: readonly Draft[]): number {
  const slotsByCluster = new Map<string, { used: number; perTm: number }>();
  for (const d of drafts) {
    const c = slotsByCluster.get(d.job.cluster) ?? { used: 0, perTm: d.slots };
    c.used += d.job.parallelism;
    slotsByCluster.set(d.job.cluster, c);
  }
  let count = 0;
  for (const c of slotsByCluster.values()) count += Math.ceil(c.used / c.perTm);
  return count;
}

/** Sizing target of a cluster
: each job's estimated peak a week on, on its hottest TaskManager, times its headroom. */
function sizingTarget(
  jobs: JobSpec[],
  taskManagers: TaskManagerSpec[],
  slotsPerTm: number,
  epoch: number,
  rng: Random,
): { heap: number; managed: number; network: number; metaspace: number } {
  const at = epoch + SIZING_HORIZON;
  let heap = 0;
  let managed = 0;
  let network = 0;
  const byTm = new Map<string, Placement[]>();
  for (const job of jobs) {
    for (const vertex of job.vertices) {
      for (let i = 0; i < vertex.parallelism; i++) {
        const { tmId, slot } = job.slots[i]!;
        byTm.set(tmId, [...(byTm.get(tmId) ?? []), { job, vertex, subtask: i, slot }]);
      }
    }
  }
  const headroom = new Map(jobs.map((j) => [j.id, rng.between(...HEADROOM[j.provisioning])]));
  const managedRoom = new Map(jobs.map((j) => [j.id, j.provisioning === 'generous' ? rng.between(1.5, 3) : j.provisioning === 'normal' ? rng.between(0.9, 1.4) : rng.between(0.3, 0.8)]));
  for (const tm of taskManagers) {
    const placements = byTm.get(tm.id) ?? [];
    let live = CALIBRATION.frameworkLive + CALIBRATION.frameworkLivePerSlot * slotsPerTm;
    let worstHeadroom = 0;
    const slotNeed = new Map<number, number>();
    for (const p of placements) {
      const s = subtaskState(peakLoadFactor(p.job.load), p, at, 1);
      live += s.heapLive;
      worstHeadroom = Math.max(worstHeadroom, headroom.get(p.job.id)!);
      if (p.job.stateBackend === 'rocksdb' && p.vertex.stateName) {
        slotNeed.set(p.slot, (slotNeed.get(p.slot) ?? 0) + (s.workingSet + CALIBRATION.memtablesPerSubtask) * managedRoom.get(p.job.id)!);
      }
    }
    heap = Math.max(heap, live * worstHeadroom);
    managed = Math.max(managed, Math.max(0, ...slotNeed.values()) * slotsPerTm);
    network = Math.max(network, bufferNeed(tm.id, placements, SEGMENT_SIZE).desirableBytes);
  }
  const metaspace =
    CALIBRATION.metaspaceBase + jobs.reduce((s, j) => s + j.userCodeMetaspace + j.connectors.reduce((c, k) => c + CONNECTOR_METASPACE[k], 0), 0);
  return { heap, managed, network, metaspace };
}

function baseConfig(name: string, namespace: string, slots: number, job: JobSpec | undefined, is2x: boolean): Record<string, string> {
  const config: Record<string, string> = {
    'jobmanager.rpc.address': `${name}.${namespace}`,
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.numberOfTaskSlots': String(slots),
    'kubernetes.cluster-id': name,
    'kubernetes.namespace': namespace,
    'rest.port': '8081',
    'metrics.reporters': 'prom',
    'metrics.reporter.prom.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
    'metrics.reporter.prom.port': '9249',
    'restart-strategy.type': 'exponential-delay',
    'high-availability.type': 'kubernetes',
    'state.checkpoints.dir': `s3://flink-checkpoints/${namespace}/${name}`,
  };
  if (job) {
    config['parallelism.default'] = String(job.parallelism);
    config['state.backend.type'] = job.stateBackend;
    config[is2x ? 'execution.checkpointing.interval' : 'execution.checkpointing.interval'] = `${job.checkpointIntervalMs / 1000} s`;
    if (job.stateBackend === 'rocksdb') {
      config[is2x ? 'execution.checkpointing.incremental' : 'state.backend.incremental'] = 'true';
      if (job.rocksdbNativeMetrics) {
        for (const m of ['block-cache-capacity', 'block-cache-usage', 'block-cache-pinned-usage', 'estimate-live-data-size', 'size-all-mem-tables', 'block-cache-hit', 'block-cache-miss']) {
          config[`state.backend.rocksdb.metrics.${m}`] = 'true';
        }
      }
    }
  }
  return config;
}

/** Two budgets the optimizer must work under: the largest team's namespace and the session clusters. */
function budgetsFor(clusters: ClusterSpec[]): FleetBudget[] {
  const total = (cs: ClusterSpec[]) => cs.reduce((s, c) => s + c.memory.totalProcess * c.taskManagers.length, 0);
  const gib = (bytes: number) => `${Math.max(1, Math.ceil(bytes / (1024 * MiB)))}g`;
  const byNamespace = new Map<string, ClusterSpec[]>();
  for (const c of clusters) byNamespace.set(c.namespace, [...(byNamespace.get(c.namespace) ?? []), c]);
  const [namespace, members] = [...byNamespace].sort((a, b) => total(b[1]) - total(a[1]))[0]!;
  const budgets: FleetBudget[] = [{ name: `${namespace}-quota`, total: gib(total(members) * 0.8), namespace }];
  const sessions = clusters.filter((c) => c.kind === 'session');
  if (sessions.length > 0) budgets.push({ name: 'shared-session-pool', total: gib(total(sessions) * 0.9), clusters: sessions.map((c) => c.name) });
  return budgets;
}

function versionText(major: number, minor: number): string {
  // The patch releases the simulator reports in /overview.
  return major >= 2 ? `${major}.${minor}.0` : `${major}.${minor}.1`;
}
