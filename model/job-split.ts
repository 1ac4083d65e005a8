import { createHash } from 'node:crypto';

export type SplitName = 'train' | 'validation' | 'calibration';

/**
 * Assigns a job (all of its examples) to one split by a hash of its id, so no job leaks
 * between the data the network fits, the data that stops it early and the data that calibrates it.
 */
export function splitOfJob(jobId: string, fractions = { validation: 0.15, calibration: 0.25 }): SplitName {
  const u = createHash('sha256').update(jobId).digest().readUInt32BE(0) / 2 ** 32;
  if (u < fractions.validation) return 'validation';
  if (u < fractions.validation + fractions.calibration) return 'calibration';
  return 'train';
}
