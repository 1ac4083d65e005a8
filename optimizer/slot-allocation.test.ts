import { describe, expect, it } from 'vitest';
import { packInOrder, packWorstCase, type SlotRequirement } from './slot-allocation.ts';

const GiB = 1024 ** 3;
const slot = (cpuMillis: number, taskHeap: number, managed = 0) => ({ cpuMillis, taskHeap, taskOffHeap: 0, managed });

describe("Flink's fine-grained slot packing on new TaskManagers", () => {
  it("leaves the fragment Flink's docs describe: two 3 GB slots on 4 GB TaskManagers take two of them", () => {
    const requirements: SlotRequirement[] = [{ profile: slot(1000, 3 * GiB), slots: 2 }];
    expect(packInOrder(requirements, [0], slot(4000, 4 * GiB))).toEqual([[1], [1]]);
  });

  it('packs one requirement after the other, first fit into earlier TaskManagers', () => {
    // TM: 4 cores, 4 GiB heap. Order [a, b]: a = 3 x (1 core, 1 GiB) all on TM 1, b = 2 x (1 core, 1.5 GiB):
    // TM 1 has 1 core and 1 GiB left, too little heap for b, so b opens TM 2 and both fit there.
    const requirements: SlotRequirement[] = [
      { profile: slot(1000, GiB), slots: 3 },
      { profile: slot(1000, 1.5 * GiB), slots: 2 },
    ];
    const total = slot(4000, 4 * GiB);
    expect(packInOrder(requirements, [0, 1], total)).toEqual([[3, 0], [0, 2]]);
    // Order [b, a]: b = 2 slots on TM 1 (2 cores, 1 GiB left), one a fits there, the other two open TM 2.
    expect(packInOrder(requirements, [1, 0], total)).toEqual([[1, 2], [2, 0]]);
  });

  it('counts the worst order, which can be worse than the mix the total was built from', () => {
    // Total built for 1 source + 4 window slots; the window slots alone fill a TaskManager when they
    // come first, so the source then needs a second one.
    const requirements: SlotRequirement[] = [
      { profile: slot(500, 200), slots: 1 },
      { profile: slot(1000, 400, 300), slots: 4 },
    ];
    const exact = packWorstCase(requirements, slot(4500, 1800, 1200));
    expect(exact?.taskManagers).toBe(1);
    const withoutSourceRoom = packWorstCase(requirements, slot(4000, 1600, 1200));
    expect(withoutSourceRoom?.taskManagers).toBe(2);
    expect(withoutSourceRoom?.loads).toContainEqual([1, 3]);
  });

  it('refuses a profile no TaskManager can hold (Flink fails such a job)', () => {
    expect(packWorstCase([{ profile: slot(2000, 100), slots: 1 }], slot(1000, 1000))).toBeUndefined();
  });
});
