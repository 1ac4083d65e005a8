import { z } from 'zod';

/**
 * One REST exchange: contract 3 of architecture.md (a line of a recording), and also what the
 * live collector produces for every answer it gets, so both paths feed the same ingestion.
 */
export const Exchange = z.object({
  t: z.number().int().nonnegative(),
  /** Path and query below the REST root, e.g. `/taskmanagers/tm-1/metrics?get=...`. */
  url: z.string().startsWith('/'),
  status: z.number().int(),
  body: z.unknown(),
  cluster: z.string().min(1).optional(),
});
export type Exchange = z.infer<typeof Exchange>;

/** The optional first line of a recording. Never holds credentials. */
export const RecordingHeader = z.looseObject({ recording: z.literal(1), flinkVersion: z.string().optional(), notes: z.string().optional() });
export type RecordingHeader = z.infer<typeof RecordingHeader>;

/** Lines without a cluster belong to this one. */
export const defaultCluster = 'default';
