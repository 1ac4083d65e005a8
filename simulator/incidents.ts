import { SLOT_MS } from './load.ts';

/** An OutOfMemoryError that failed the job and made it restart. */
export interface Incident {
  t: number;
  kind: 'heap' | 'metaspace';
  tmId: string;
  vertexName: string;
  subtask: number;
}

/**
 * The OOM history of one job: each 10-minute slot is probed once, at a seeded moment inside it,
 * and an OOM there restarts the job. The probe sees how many restarts came before (a leaking
 * classloader grows metaspace per restart). Incidents are appended as the timeline is extended,
 * so asking for any t gives the same answer whatever was asked before.
 */
export class IncidentTimeline {
  private nextSlot: number;
  private readonly incidents: Incident[] = [];

  constructor(
    private readonly jobStart: number,
    private readonly probe: (slot: number, restartsSoFar: number) => Incident | undefined,
  ) {
    this.nextSlot = Math.floor(jobStart / SLOT_MS);
  }

  /** Incidents at or before t, oldest first. */
  upTo(t: number): Incident[] {
    const lastSlot = Math.floor(t / SLOT_MS);
    while (this.nextSlot <= lastSlot) {
      const incident = this.probe(this.nextSlot, this.incidents.length);
      if (incident && incident.t >= this.jobStart) this.incidents.push(incident);
      this.nextSlot++;
    }
    let end = this.incidents.length;
    while (end > 0 && this.incidents[end - 1]!.t > t) end--;
    return this.incidents.slice(0, end);
  }
}
