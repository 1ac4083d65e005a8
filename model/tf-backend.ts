import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** Where training and inference run. `tfjs-node` is native TensorFlow, present only when its optional install succeeded. */
export type BackendName = 'tfjs-node' | 'wasm' | 'cpu';
export const backendNames: readonly BackendName[] = ['tfjs-node', 'wasm', 'cpu'];

/** The name each backend registers under inside tfjs. */
const registryName: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

export interface BackendChoice {
  name: BackendName;
  /** Why faster candidates were passed over, e.g. "tfjs-node: not installed". */
  skipped: string[];
}

const require = createRequire(import.meta.url);

/**
 * Selects the fastest backend that starts here: tfjs-node when installed, else wasm, else cpu.
 * `force` insists on one and fails if it cannot start. tfjs keeps one global engine, so the
 * choice holds for the whole process.
 */
export async function selectBackend(force?: BackendName): Promise<BackendChoice> {
  tf.enableProdMode(); // silences the "looks like you are running TensorFlow.js in Node.js" banner
  const skipped: string[] = [];
  for (const name of force ? [force] : backendNames) {
    const reason = await tryBackend(name);
    if (reason === undefined) return { name, skipped };
    skipped.push(`${name}: ${reason}`);
  }
  throw new Error(`no TensorFlow.js backend could start (${skipped.join('; ')})`);
}

async function tryBackend(name: BackendName): Promise<string | undefined> {
  const registered = registryName[name];
  if (tf.getBackend() === registered) return undefined;
  const restoreProcessHandlers = keepProcessErrorHandlers();
  try {
    await loadBackendModule(name);
    const ok = await tf.setBackend(registered);
    await tf.ready();
    return ok && tf.getBackend() === registered ? undefined : 'failed to initialise';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
    return error instanceof Error ? error.message : String(error);
  } finally {
    restoreProcessHandlers();
  }
}

const processErrorEvents = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * The wasm backend's Emscripten runtime adds process-wide handlers that rethrow any uncaught error
 * from inside its own minified source, so Node then prints some 50 KB of that line instead of the
 * error. The returned function removes the handlers added since it was made, leaving Node's own.
 */
function keepProcessErrorHandlers(): () => void {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(processErrorEvents.map((event) => [event, new Set(emitter.listeners(event))]));
  return () => {
    for (const event of processErrorEvents) {
      for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  };
}

async function loadBackendModule(name: BackendName): Promise<void> {
  if (name === 'tfjs-node') {
    // Optional dependency (its install downloads libtensorflow): a variable specifier keeps
    // type-checking and bundlers from insisting that it exists.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The .wasm binaries ship inside the package; point tfjs at them so nothing is fetched.
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
}

/** Validates a --backend flag (undefined: choose automatically). */
export function parseBackend(value: unknown): BackendName | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (backendNames as readonly string[]).includes(value)) return value as BackendName;
  throw new RangeError(`--backend must be one of ${backendNames.join(', ')}, got '${String(value)}'`);
}
