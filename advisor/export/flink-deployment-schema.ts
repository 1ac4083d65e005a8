import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { flinkDeploymentCrdFile } from '../crd-file.ts';

let validator: ValidateFunction | undefined;

/**
 * Checks a FlinkDeployment against the operator's CRD (`v1beta1` openAPIV3Schema) and returns
 * one line per violation, empty when it is valid. The schema is large (about 1.5 s to load and
 * compile), so it is compiled once per process.
 */
export function flinkDeploymentViolations(resource: unknown): string[] {
  validator ??= compileCrdSchema();
  if (validator(resource)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

function compileCrdSchema(): ValidateFunction {
  const crd = parse(readFileSync(flinkDeploymentCrdFile, 'utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1beta1');
  if (!version) throw new Error('the FlinkDeployment CRD has no v1beta1 version');
  // strict: false lets Kubernetes' x-kubernetes-* extensions through; skipping code optimisation halves compile time.
  return new Ajv({ strict: false, allErrors: true, code: { optimize: false } }).compile(version.schema.openAPIV3Schema);
}
