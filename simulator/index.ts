/**
 * The fleet simulator's TypeScript API. The core is pure: `generateFleet` decides a fleet from a
 * seed, `Simulation` answers "what would Flink report for this TaskManager / job at simulated time
 * t" and "what did this job truly need" without HTTP; `startSimulator` serves it as Flink's REST
 * API and Prometheus exposition on loopback.
 *
 *   const fleet = generateFleet({ jobs: 20, seed: 7, flinkVersion: '1.20' });
 *   const sim = new Simulation(fleet);
 *   sim.taskManagerMetrics(fleet.clusters[0].taskManagers[0].id, fleet.epoch + 3_600_000);
 *   sim.truth.peakDemand(fleet.jobs[0].id, fleet.epoch, fleet.epoch + 86_400_000);
 */
export { generateFleet, type GenerateFleetOptions } from './fleet-generator.ts';
export { Simulation } from './simulation.ts';
export { GroundTruth, type Incident } from './truth.ts';
export { startSimulator, type StartSimulatorOptions, type SimulatorHandle } from './server.ts';
export { fleetFileOf } from './fleet-file-of.ts';
export * from './types.ts';
