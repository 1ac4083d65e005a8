import { noiseAt } from './random.ts';
import type { LoadProfile, StateProfile } from './types.ts';

/** The physics is evaluated on a grid of 10-minute slots; noise is drawn per slot and interpolated. */
export const SLOT_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Load relative to the weekly mean at time t: a daily cosine peaking at `peakHour` (UTC), a
 * weekend dip, and a slot-level wobble interpolated linearly so the curve has no jumps.
 */
export function loadFactor(profile: LoadProfile, seed: number, key: number, t: number): number {
  const hour = ((t % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS;
  const diurnal = 1 + profile.diurnalAmplitude * Math.cos((2 * Math.PI * (hour - profile.peakHour)) / 24);
  const weekend = weekendFactor(profile, t);
  const slot = Math.floor(t / SLOT_MS);
  const frac = (t - slot * SLOT_MS) / SLOT_MS;
  const wobble = (1 - frac) * noiseAt(seed, key, slot) + frac * noiseAt(seed, key, slot + 1);
  return Math.max(0.05, diurnal * weekend * (1 + profile.noise * (2 * wobble - 1)));
}

/** The largest `loadFactor` can get: what a generator sizing for the worst hour must cover. */
export function peakLoadFactor(profile: LoadProfile): number {
  return (1 + profile.diurnalAmplitude) * (1 + profile.noise);
}

/** The largest `loadFactor` can get on the UTC day holding t (the weekend dip holds for whole days). */
export function dayPeakLoadFactor(profile: LoadProfile, t: number): number {
  return peakLoadFactor(profile) * weekendFactor(profile, t);
}

function weekendFactor(profile: LoadProfile, t: number): number {
  // 1970-01-01 was a Thursday: day index 2 and 3 after it are Saturday and Sunday.
  const dayOfWeek = Math.floor(t / DAY_MS) % 7;
  return dayOfWeek === 2 || dayOfWeek === 3 ? 1 - profile.weekendDip : 1;
}

/** Keyed state (serialized bytes) at time t: linear growth since the job started. */
export function stateBytes(state: StateProfile, jobStart: number, t: number): number {
  const days = Math.max(0, t - jobStart) / DAY_MS;
  return state.initialBytes * (1 + state.growthPerDay * days);
}
