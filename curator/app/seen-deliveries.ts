/** Delivery ids already handled (GitHub redelivers on timeouts and on request), bounded so memory stays flat. */

export interface SeenDeliveries {
  /** True the first time an id is offered, false for a repeat. */
  first(id: string): boolean;
  /** Forget an id whose handling failed, so a redelivery gets another chance. */
  forget(id: string): void;
}

export function createSeenDeliveries(capacity = 2000): SeenDeliveries {
  const seen = new Set<string>();
  return {
    first(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      // Sets iterate in insertion order: the first entry is the oldest.
      if (seen.size > capacity) seen.delete(seen.values().next().value!);
      return true;
    },
    forget(id) {
      seen.delete(id);
    },
  };
}
