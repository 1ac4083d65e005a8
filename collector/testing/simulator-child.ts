// Runs the simulator in its own process (so a benchmark measures the collector, not both on one
// event loop). Prints one JSON line {fleetFile, prometheusUrl} when ready; exits when stdin closes.
import { startSimulator } from '../../simulator/index.ts';

const [jobs = '20', taskManagers = '0', seed = '1'] = process.argv.slice(2);
const sim = await startSimulator({ jobs: Number(jobs), seed: Number(seed), ...(Number(taskManagers) > 0 ? { taskManagers: Number(taskManagers) } : {}) });
process.stdout.write(`${JSON.stringify({ fleetFile: sim.fleetFile, prometheusUrl: sim.prometheusUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
