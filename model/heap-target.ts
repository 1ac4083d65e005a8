/**
 * The heap the advisor calls "needed": the live set at no more than this share of the heap, below
 * which G1 keeps GC time low (past ~80% occupancy concurrent marking falls behind and full
 * collections start). Targets, ground truth and observed demand all use it.
 */
export const heapTargetOccupancy = 0.8;
