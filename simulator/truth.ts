import { SLOT_MS } from './load.ts';
import { CALIBRATION } from './physics.ts';
import type { Simulation } from './simulation.ts';
import type { Incident } from './incidents.ts';
import type { PoolDemand } from './types.ts';

export type { Incident };

/**
 * What each job truly needed, per TaskManager and pool, for evaluating the model. Never served
 * on Flink's endpoints. For each of the job's TaskManagers the job's own subtasks are counted (in a
 * session cluster, as if the job ran alone there) and the worst TaskManager is reported:
 * - heap: the live set (framework, records in flight, on-heap state and windows, connector buffers);
 *   a heap below live / 0.97 ends in OutOfMemoryError, and GC time climbs as the heap nears it;
 * - managed: RocksDB working set plus memtables of the busiest slot, times slots per TaskManager
 *   (Flink splits managed memory evenly per slot); 0 for hashmap jobs;
 * - metaspace: JVM and Flink classes, the user jar and its connectors, plus leaks from restarts;
 * - direct: framework and connector direct buffers, outside the network pool;
 * - network: the buffers the TaskManager's tasks require to start, times the segment size.
 */
export class GroundTruth {
  constructor(private readonly sim: Simulation) {}

  demandAt(jobId: string, t: number): PoolDemand {
    const job = this.sim.jobs.get(jobId);
    if (!job) throw new Error(`unknown job ${jobId}`);
    const worst: PoolDemand = { heap: 0, managed: 0, metaspace: 0, direct: 0, network: 0 };
    for (const tmId of new Set(job.slots.map((s) => s.tmId))) {
      const s = this.sim.tmState(tmId, t, jobId);
      worst.heap = Math.max(worst.heap, Math.round(s.heapLive));
      worst.managed = Math.max(worst.managed, Math.round(s.managedNeed));
      worst.metaspace = Math.max(worst.metaspace, Math.round(s.metaspaceClasses));
      worst.direct = Math.max(worst.direct, Math.round(s.directOther));
      worst.network = Math.max(worst.network, this.sim.networkNeed(tmId, jobId).bytes);
    }
    return worst;
  }

  /** The peak per pool over [from, to], sampled every `stepMs` (default: the 10-minute slot) and at both ends. */
  peakDemand(jobId: string, from: number, to: number, stepMs = SLOT_MS / 2): PoolDemand {
    const peak: PoolDemand = { heap: 0, managed: 0, metaspace: 0, direct: 0, network: 0 };
    for (const { demand } of this.series(jobId, from, to, stepMs)) {
      for (const pool of Object.keys(peak) as Array<keyof PoolDemand>) peak[pool] = Math.max(peak[pool], demand[pool]);
    }
    return peak;
  }

  series(jobId: string, from: number, to: number, stepMs: number): Array<{ t: number; demand: PoolDemand }> {
    if (!(stepMs > 0) || to < from) throw new Error('need from <= to and stepMs > 0');
    const out: Array<{ t: number; demand: PoolDemand }> = [];
    for (let t = from; t < to; t += stepMs) out.push({ t, demand: this.demandAt(jobId, t) });
    out.push({ t: to, demand: this.demandAt(jobId, to) });
    return out;
  }

  /** OutOfMemoryErrors the job hit in [from, to]. */
  incidents(jobId: string, from: number, to: number): Incident[] {
    return this.sim.incidents(jobId, to).filter((i) => i.t >= from);
  }

  /** The heap (-Xmx) below which this live set ends in an OutOfMemoryError. */
  static oomHeapFor(liveSet: number): number {
    return Math.ceil(liveSet / CALIBRATION.oomHeapShare);
  }
}
