/**
 * The built-in partition assignors by the protocol names members vote with in JoinGroup, and the
 * Java consumer's default partition.assignment.strategy.
 *
 * Invariants: names are unique; assignorByName returns a new instance each time (assignors keep no
 * state between calls here, but a caller may hold one per consumer as Kafka does).
 */
import type { PartitionAssignor } from './assignor.js';
import { CooperativeStickyAssignor, COOPERATIVE_STICKY_ASSIGNOR_NAME } from './cooperative-sticky-assignor.js';
import { RangeAssignor, RANGE_ASSIGNOR_NAME } from './range-assignor.js';
import { RoundRobinAssignor, ROUND_ROBIN_ASSIGNOR_NAME } from './round-robin-assignor.js';
import { StickyAssignor, STICKY_ASSIGNOR_NAME } from './sticky-assignor.js';

export { CooperativeStickyAssignor, RangeAssignor, RoundRobinAssignor, StickyAssignor };
export { COOPERATIVE_STICKY_ASSIGNOR_NAME, RANGE_ASSIGNOR_NAME, ROUND_ROBIN_ASSIGNOR_NAME, STICKY_ASSIGNOR_NAME };

const FACTORIES: Readonly<Record<string, () => PartitionAssignor>> = {
  [RANGE_ASSIGNOR_NAME]: () => new RangeAssignor(),
  [ROUND_ROBIN_ASSIGNOR_NAME]: () => new RoundRobinAssignor(),
  [STICKY_ASSIGNOR_NAME]: () => new StickyAssignor(),
  [COOPERATIVE_STICKY_ASSIGNOR_NAME]: () => new CooperativeStickyAssignor(),
};

/** The protocol names of the built-in assignors, in the order Kafka documents them. */
export const BUILT_IN_ASSIGNORS: readonly string[] = Object.keys(FACTORIES);

/**
 * The Java consumer's default partition.assignment.strategy since 3.0 (KIP-726's first step):
 * [RangeAssignor, CooperativeStickyAssignor]. Every member's first choice is range, so a group of
 * default consumers uses range, with EAGER (the protocol both support); dropping range from the
 * list in a later rolling bounce moves the group to cooperative-sticky.
 */
export const DEFAULT_PARTITION_ASSIGNMENT_STRATEGY: readonly string[] = [RANGE_ASSIGNOR_NAME, COOPERATIVE_STICKY_ASSIGNOR_NAME];

/** The built-in assignor with this protocol name, or null for a name Kafka does not ship. */
export function assignorByName(name: string): PartitionAssignor | null {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  return factory === undefined ? null : factory();
}
