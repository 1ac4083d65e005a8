import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveJobManagerMemory } from '../../flink/jobmanager-memory.ts';
import { MemorySize } from '../../flink/memory-size.ts';
import { deriveTaskManagerMemory } from '../../flink/taskmanager-memory.ts';
import { resolveFlinkVersion } from '../../flink/version.ts';
import { fromFlinkPools } from '../flink-pools.ts';
import type { Recommendation } from '../recommendation.ts';
import { sampleRecommendation } from '../sample-recommendation.ts';
import { flattenFlinkConfiguration } from './flink-configuration-paths.ts';
import { flinkDeploymentPatch } from './flink-deployment.ts';
import { flinkDeploymentViolations } from './flink-deployment-schema.ts';
import { applyMergePatch, isJsonObject, type JsonObject } from './json-merge-patch.ts';

const USER_DEPLOYMENT = parse(`
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata:
  name: orders-enrichment
spec:
  image: flink:1.20
  flinkVersion: v1_20
  serviceAccount: flink
  flinkConfiguration:
    taskmanager.numberOfTaskSlots: "4"
    state.backend.type: rocksdb
    taskmanager.memory.managed.fraction: "0.3"
    taskmanager.memory.process.size: "4096m"
    taskmanager:
      memory:
        flink.size: 3200m
        jvm-metaspace.size: 512m
    job.autoscaler:
      enabled: true
      memory.tuning.enabled: true
  jobManager:
    resource: { memory: 1600m, cpu: 1 }
  taskManager:
    resource: { memory: 4096m, cpu: 2 }
  job:
    jarURI: local:///opt/flink/usrlib/orders.jar
    parallelism: 8
    upgradeMode: savepoint
`) as JsonObject;

/** What Flink sees after the operator builds its configuration from the resource. */
function effectiveConfig(resource: JsonObject): Record<string, string> {
  const spec = resource.spec as JsonObject;
  const config = flattenFlinkConfiguration((spec.flinkConfiguration ?? {}) as JsonObject);
  const memoryOf = (component: unknown): string | undefined => {
    if (!isJsonObject(component)) return undefined;
    const resources = component.resources as JsonObject | undefined;
    const requested = (resources?.requests as JsonObject | undefined)?.memory;
    if (typeof requested === 'string') return String(parseKubernetesMebi(requested));
    const memory = (component.resource as JsonObject | undefined)?.memory;
    return typeof memory === 'string' ? MemorySize.parse(memory).toString() : undefined;
  };
  const tm = memoryOf(spec.taskManager);
  const jm = memoryOf(spec.jobManager);
  if (tm) config['taskmanager.memory.process.size'] = tm;
  if (jm) config['jobmanager.memory.process.size'] = jm;
  return config;
}

function parseKubernetesMebi(quantity: string): number {
  return quantity.endsWith('Mi') ? Number(quantity.slice(0, -2)) * 1024 * 1024 : Number(quantity);
}

function assertReproduces(resource: JsonObject, rec: Recommendation): void {
  const version = resolveFlinkVersion(rec.flinkVersion);
  const config = effectiveConfig(resource);
  expect(fromFlinkPools(deriveTaskManagerMemory(config, version))).toEqual(rec.recommended.pools);
  const jm = deriveJobManagerMemory(config, version);
  expect(jm.totalProcess.toNumber()).toBe(rec.jobManager!.recommended.processSize);
  expect(jm.jvmHeap.toNumber()).toBe(rec.jobManager!.recommended.pools.jvmHeap);
}

describe('FlinkDeployment merge patch', () => {
  const rec = sampleRecommendation();

  it('applied to the user resource, makes Flink derive exactly the recommended pools', () => {
    const { patch, patched } = flinkDeploymentPatch(rec, USER_DEPLOYMENT);
    expect(applyMergePatch(USER_DEPLOYMENT, patch)).toEqual(patched);
    assertReproduces(patched, rec);
    expect(flinkDeploymentViolations(patched)).toEqual([]);
  });

  it('edits nested keys where they live and keeps every unrelated field', () => {
    const { patch, patched } = flinkDeploymentPatch(rec, USER_DEPLOYMENT);
    const config = (patch.spec as JsonObject).flinkConfiguration as JsonObject;
    expect((config.taskmanager as JsonObject).memory).toMatchObject({ 'flink.size': expect.any(String) });
    expect(config['taskmanager.memory.process.size']).toBeNull();
    const after = (patched.spec as JsonObject).flinkConfiguration as JsonObject;
    expect(flattenFlinkConfiguration(after)).toMatchObject({
      'taskmanager.numberOfTaskSlots': '4',
      'state.backend.type': 'rocksdb',
      'job.autoscaler.enabled': 'true',
    });
    expect((patched.spec as JsonObject).job).toEqual((USER_DEPLOYMENT.spec as JsonObject).job);
    expect(((patched.spec as JsonObject).taskManager as JsonObject).resource).toMatchObject({ cpu: 2 });
  });

  it('warns that the operator memory tuning would override the patch', () => {
    expect(flinkDeploymentPatch(rec, USER_DEPLOYMENT).warnings.join('\n')).toMatch(/memory.tuning.enabled is true/);
    expect(flinkDeploymentPatch(rec).warnings).toEqual([]);
  });

  it('without the user resource, deletes every conflicting key flat and still validates', () => {
    const { patch, patched } = flinkDeploymentPatch(rec);
    const config = (patch.spec as JsonObject).flinkConfiguration as JsonObject;
    expect(config['taskmanager.memory.managed.fraction']).toBeNull();
    expect(config['taskmanager.network.memory.fraction']).toBeNull();
    expect(flinkDeploymentViolations(patched)).toEqual([]);
    // Merged onto the user's resource after all (flat keys only there), it still lands exactly.
    const flatUser = structuredClone(USER_DEPLOYMENT);
    delete ((flatUser.spec as JsonObject).flinkConfiguration as JsonObject).taskmanager;
    assertReproduces(applyMergePatch(flatUser, patch) as JsonObject, rec);
  });

  it('patches resources.requests (and limits) when the resource uses the newer field', () => {
    const user = structuredClone(USER_DEPLOYMENT);
    (user.spec as JsonObject).taskManager = { resources: { requests: { memory: '4Gi' }, limits: { memory: '6Gi' } } };
    const { patched, warnings } = flinkDeploymentPatch(rec, user);
    const resources = ((patched.spec as JsonObject).taskManager as JsonObject).resources as JsonObject;
    expect(resources).toEqual({ requests: { memory: `${rec.recommended.processSize / 1024 / 1024}Mi` }, limits: { memory: `${rec.recommended.processSize / 1024 / 1024}Mi` } });
    expect(warnings.join('\n')).toMatch(/limits.memory/);
    assertReproduces(patched, rec);
  });

  it('the CRD check rejects a malformed resource', () => {
    expect(flinkDeploymentViolations({ spec: { taskManager: { resource: { memory: 2048 } } } })).toEqual([
      '/spec/taskManager/resource/memory must be string',
    ]);
  });
});
