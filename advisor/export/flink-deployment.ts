import { MemorySize } from '../../flink/memory-size.ts';
import type { Recommendation } from '../recommendation.ts';
import { flattenFlinkConfiguration, pathForNewKey, pathsOfKey, setAtPath } from './flink-configuration-paths.ts';
import { applyMergePatch, isJsonObject, type Json, type JsonObject } from './json-merge-patch.ts';
import { JOB_MANAGER_PROCESS_SIZE_KEY, memoryPatchFor, TASK_MANAGER_PROCESS_SIZE_KEY } from './memory-patch.ts';

export interface FlinkDeploymentExport {
  /** The JSON merge patch (RFC 7386) for `kubectl patch --type merge`. */
  readonly patch: JsonObject;
  /** The resource after the patch: the user's, or a minimal FlinkDeployment when none was given. */
  readonly patched: JsonObject;
  readonly warnings: readonly string[];
}

const TUNING_KEY = 'job.autoscaler.memory.tuning.enabled';

/**
 * A merge patch that moves a FlinkDeployment to the recommended memory. The operator turns
 * `spec.<component>.resource.memory` (or `resources.requests.memory`) into
 * `<component>.memory.process.size`, overriding any such key in `flinkConfiguration`, so the
 * process size goes there and the key is deleted from the configuration. With the user's resource
 * given, every option is edited at the path where it lives (flat or nested) and only keys that
 * exist are deleted; without it, every conflicting key is deleted flat.
 */
export function flinkDeploymentPatch(rec: Recommendation, existing?: JsonObject): FlinkDeploymentExport {
  const memory = memoryPatchFor(rec);
  const spec = objectAt(existing, 'spec');
  const config = objectAt(spec, 'flinkConfiguration');
  const processKeys = [TASK_MANAGER_PROCESS_SIZE_KEY, ...(rec.jobManager ? [JOB_MANAGER_PROCESS_SIZE_KEY] : [])];

  const flinkConfiguration: JsonObject = {};
  for (const key of [...memory.remove, ...processKeys]) {
    for (const path of existing ? pathsOfKey(config, key) : [[key]]) setAtPath(flinkConfiguration, path, null);
  }
  for (const [key, value] of Object.entries(memory.set)) {
    if (processKeys.includes(key)) continue;
    const [first, ...duplicates] = pathsOfKey(config, key);
    setAtPath(flinkConfiguration, first ?? pathForNewKey(config, key), value);
    for (const path of duplicates) setAtPath(flinkConfiguration, path, null);
  }

  const warnings: string[] = [];
  const patchSpec: JsonObject = {
    taskManager: memoryField('taskManager', objectAt(spec, 'taskManager'), rec.recommended.processSize, warnings),
  };
  if (rec.jobManager) {
    patchSpec.jobManager = memoryField('jobManager', objectAt(spec, 'jobManager'), rec.jobManager.recommended.processSize, warnings);
  }
  patchSpec.flinkConfiguration = flinkConfiguration;

  const tuning = flattenFlinkConfiguration(config)[TUNING_KEY];
  if (tuning?.trim().toLowerCase() === 'true') {
    warnings.push(
      `${TUNING_KEY} is true: the operator's memory autotuning re-applies its own overrides on every reconcile and ` +
        'they win over these values; turn it off for this deployment or treat this patch as advice only',
    );
  }
  const patch: JsonObject = { spec: patchSpec };
  return { patch, patched: applyMergePatch(existing ?? minimalDeployment(rec), patch) as JsonObject, warnings };
}

/** The memory field the operator reads: `resources` (requests, else limits) wins over `resource`. */
function memoryField(name: string, component: JsonObject, bytes: number, warnings: string[]): JsonObject {
  const resources = objectAt(component, 'resources');
  const hasRequest = objectAt(resources, 'requests').memory !== undefined;
  const hasLimit = objectAt(resources, 'limits').memory !== undefined;
  if (!hasRequest && !hasLimit) return { resource: { memory: MemorySize.ofBytes(bytes).toConfigString() } };
  const quantity = kubernetesQuantity(bytes);
  const patched: JsonObject = { requests: { memory: quantity } };
  if (hasLimit) {
    patched.limits = { memory: quantity };
    warnings.push(`spec.${name}.resources.limits.memory is set equal to the request (${quantity}); raise it if you keep a limit above the request`);
  }
  return { resources: patched };
}

/** A Kubernetes quantity the operator and the pod agree on: whole MiB as "NMi", else plain bytes. */
export function kubernetesQuantity(bytes: number): string {
  const mebi = 1024 * 1024;
  return bytes % mebi === 0 ? `${bytes / mebi}Mi` : String(bytes);
}

function objectAt(parent: Json | undefined, key: string): JsonObject {
  const value = isJsonObject(parent) ? parent[key] : undefined;
  return isJsonObject(value) ? value : {};
}

function minimalDeployment(rec: Recommendation): JsonObject {
  return { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', metadata: { name: rec.jobName ?? rec.jobId }, spec: {} };
}
