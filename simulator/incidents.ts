import { DAY_MS, SLOT_MS } from './load.ts';

/** An OutOfMemoryError that failed the job and made it restart. */
export interface Incident {
  t: number;
  kind: 'heap' | 'metaspace';
  tmId: string;
  vertexName: string;
  subtask: number;
}

const SLOTS_PER_DAY = DAY_MS / SLOT_MS;

/**
 * The OOM history of one job: each 10-minute slot is probed once, at a seeded moment inside it,
 * and an OOM there restarts the job. The probe sees how many restarts came before (a leaking
 * classloader grows metaspace per restart). Whole UTC days are first screened with `mayFail`, an
 * upper bound over the day: a day it clears holds no incident and is skipped without probing, so
 * a healthy job's history costs one check per day. Days are screened and slots probed in time
 * order as the timeline is extended, so any t gets the same answer whatever was asked before.
 */
export class IncidentTimeline {
  private nextSlot: number;
  /** The day whose screen failed: its slots are being probed one by one. */
  private probingDay = Number.NaN;
  private readonly incidents: Incident[] = [];

  constructor(
    private readonly jobStart: number,
    private readonly probe: (slot: number, restartsSoFar: number) => Incident | undefined,
    private readonly mayFail: (day: number, restartsSoFar: number) => boolean,
  ) {
    this.nextSlot = Math.floor(jobStart / SLOT_MS);
  }

  /** Incidents at or before t, oldest first. */
  upTo(t: number): Incident[] {
    return this.incidents.slice(0, this.countUpTo(t));
  }

  /** How many incidents happened at or before t (the restarts so far). */
  countUpTo(t: number): number {
    this.extend(Math.floor(t / SLOT_MS));
    let low = 0;
    let high = this.incidents.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.incidents[mid]!.t <= t) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private extend(lastSlot: number): void {
    while (this.nextSlot <= lastSlot) {
      const day = Math.floor(this.nextSlot / SLOTS_PER_DAY);
      if (day !== this.probingDay) {
        if (!this.mayFail(day, this.incidents.length)) {
          this.nextSlot = (day + 1) * SLOTS_PER_DAY;
          continue;
        }
        this.probingDay = day;
      }
      const incident = this.probe(this.nextSlot, this.incidents.length);
      if (incident && incident.t >= this.jobStart) this.incidents.push(incident);
      this.nextSlot++;
    }
  }
}
