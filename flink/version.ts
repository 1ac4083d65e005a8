import { MemorySize } from './memory-size.ts';

/**
 * The Flink release line whose memory defaults and rules apply. Families group the releases
 * whose memory behaviour is the same; a few patch-level quirks are flags of their own.
 */
export type FlinkVersionFamily = '1.10' | '1.11-1.16' | '1.17-1.20' | '2.x';

export interface FlinkVersionProfile {
  /** As resolved, e.g. "1.20" or "1.11.1". */
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  /** Undefined when the user named only a release line ("1.17"): the newest patch is assumed. */
  readonly patch: number | undefined;
  readonly family: FlinkVersionFamily;
  readonly defaults: {
    /** `taskmanager.memory.jvm-metaspace.size`: 96m in 1.10, 256m after. */
    readonly taskManagerMetaspace: MemorySize;
    /** `taskmanager.memory.network.max`: 1g until 1.16, Long.MAX ("infinite") from 1.17 (FLINK-30472). */
    readonly networkMax: MemorySize;
  };
  /** `taskmanager.heap.size|mb`, `jobmanager.heap.size|mb` still mapped (removed in 2.0 by FLINK-33750). */
  readonly legacyHeapOptions: boolean;
  /** `taskmanager.network.numberOfBuffers` still honoured (removed in 2.0). */
  readonly legacyNetworkBuffers: boolean;
  /** The FLIP-116 JobManager memory model exists (1.11+). */
  readonly jobManagerModel: boolean;
  /** Errors carry "TaskManager/JobManager memory configuration failed: " (FLINK-20171, 1.12+). */
  readonly processErrorPrefix: boolean;
  /** The "process < flink + metaspace" check exists (FLINK-18154, 1.11+); 1.10 fails in a subtraction instead. */
  readonly processCoversFlinkAndMetaspaceCheck: boolean;
  /** The TaskManager spec also reads `taskmanager.numberOfTaskSlots` (1.13+), so an unparsable value fails even with CPU cores set. */
  readonly taskManagerSpecReadsSlots: boolean;
  /** 1.10's own wording of the "nothing configured" error. */
  readonly legacyRequiredOptionsMessage: boolean;
  /** FLINK-18993 (1.11.0, 1.11.1): JM heap + off-heap + flink size together always failed. */
  readonly jobManagerTotalFlinkCheckBug: boolean;
  /** Which configuration files the distribution reads from its conf directory. */
  readonly readsFlinkConfYaml: boolean;
  readonly readsConfigYaml: boolean;
}

const NEWEST = { major: 2, minor: 1 } as const;

/** Accepts "1.17", "1.17.2", "v1_20", "release-1.19", "2.0", "2"; undefined means the newest supported release. */
export function resolveFlinkVersion(text?: string): FlinkVersionProfile {
  if (text === undefined || text.trim() === '') return profileFor(NEWEST.major, NEWEST.minor, undefined);
  const match = /^(?:v|release-|flink-)?(\d+)(?:[._](\d+))?(?:[._](\d+))?(?:-SNAPSHOT)?$/i.exec(text.trim());
  if (!match) {
    throw new Error(`Unrecognised Flink version '${text}': expected e.g. 1.17, 1.20.1, 2.0 or v1_19`);
  }
  const major = Number(match[1]);
  const minor = match[2] === undefined ? (major === 1 ? 20 : 0) : Number(match[2]);
  const patch = match[3] === undefined ? undefined : Number(match[3]);
  if (major < 1 || (major === 1 && minor < 10)) {
    throw new Error(
      `Flink ${text} predates the FLIP-49 memory model (introduced in 1.10); versions before 1.10 are not supported`,
    );
  }
  if (major > NEWEST.major) throw new Error(`Flink ${text} is newer than the newest supported release line (2.x)`);
  return profileFor(major, minor, patch);
}

function profileFor(major: number, minor: number, patch: number | undefined): FlinkVersionProfile {
  const atLeast = (ma: number, mi: number) => major > ma || (major === ma && minor >= mi);
  const family: FlinkVersionFamily = major >= 2 ? '2.x' : minor >= 17 ? '1.17-1.20' : minor >= 11 ? '1.11-1.16' : '1.10';
  return {
    name: patch === undefined ? `${major}.${minor}` : `${major}.${minor}.${patch}`,
    major,
    minor,
    patch,
    family,
    defaults: {
      taskManagerMetaspace: MemorySize.ofMebiBytes(atLeast(1, 11) ? 256 : 96),
      networkMax: atLeast(1, 17) ? MemorySize.MAX_VALUE : MemorySize.ofMebiBytes(1024),
    },
    legacyHeapOptions: major < 2,
    legacyNetworkBuffers: major < 2,
    jobManagerModel: atLeast(1, 11),
    processErrorPrefix: atLeast(1, 12),
    processCoversFlinkAndMetaspaceCheck: atLeast(1, 11),
    taskManagerSpecReadsSlots: atLeast(1, 13),
    legacyRequiredOptionsMessage: !atLeast(1, 11),
    jobManagerTotalFlinkCheckBug: major === 1 && minor === 11 && patch !== undefined && patch < 2,
    readsFlinkConfYaml: major < 2,
    readsConfigYaml: atLeast(1, 19),
  };
}
