/**
 * Seed 000 ("Kafka Partition vs. Consumers", "Kafka Partition Scale out"): the order service
 * produces to `labshoppubsub`, two inventory replicas consume it in group `inventory`.
 *
 * - With 1 partition only one inventory consumer gets it; the other logs
 *   `inventory: partitions assigned: []` and never sees an order.
 * - `kafka-topics --alter --partitions 2` changes nothing until the group leader's metadata refresh
 *   (metadata.max.age.ms, 300000 by default: the seed's "wait 2-3 minutes"); then the leader
 *   rejoins, the group rebalances and each consumer owns one partition.
 * - Where keyless orders go then depends on the order service's partitioner (see the two tests at
 *   the end: Kafka 3.x's RoundRobinPartitioner and the default sticky partitioner).
 */
import { describe, expect, it } from 'vitest';
import { recordSizeInBytes } from '../../engine/clients/producer/record-size.js';
import { RECORD_BATCH_OVERHEAD } from '../../engine/storage/record-batch.js';
import { groupLab } from './group-lab.js';

const TOPIC = 'labshoppubsub';
const GROUP = 'inventory';

/** The seed's setup: topic with 1 partition, inventory replicas on 8082 and 8083, each counting the orders it handled. */
function inventoryLab(seed: number) {
  // The workshop's docker-compose runs one Kafka broker.
  const lab = groupLab(seed, { brokerCount: 1 });
  lab.cluster.createTopic({ name: TOPIC, partitions: 1, replicationFactor: 1, configs: {} });
  lab.run(100);
  const handled: Record<string, string[]> = { 'inventory-8082': [], 'inventory-8083': [] };
  for (const clientId of Object.keys(handled)) {
    lab.startApp({ clientId, groupId: GROUP, topics: [TOPIC], onRecord: (record) => handled[clientId]!.push(`${record.partition}:${record.value}`) });
  }
  lab.run(10_000);
  const owner = () => Object.keys(handled).find((id) => lab.assignment(id).length > 0)!;
  const idle = () => Object.keys(handled).find((id) => lab.assignment(id).length === 0)!;
  return { ...lab, handled, owner, idle };
}

/** `http :8081/orders productId=1 qty=1`, n times, each waiting for its acknowledgement. */
async function placeOrders(lab: ReturnType<typeof inventoryLab>, producer: ReturnType<ReturnType<typeof groupLab>['producer']>, count: number, first = 1) {
  const partitions: number[] = [];
  for (let i = first; i < first + count; i++) {
    const metadata = await lab.settle(producer.send({ topic: TOPIC, value: orderPlaced(i) }).promise);
    partitions.push(metadata.partition);
  }
  return partitions;
}

function orderPlaced(id: number): string {
  return JSON.stringify({ eventType: 'OrderPlaced', id: String(id).padStart(4, '0'), productId: 1, qty: 1 });
}

describe('seed 000: partitions vs consumers in group inventory', () => {
  it('two inventory consumers on a 1-partition topic: one logs "partitions assigned: [labshoppubsub-0]", the other "partitions assigned: []"', () => {
    const lab = inventoryLab(1);
    expect([lab.assignment('inventory-8082'), lab.assignment('inventory-8083')].sort()).toEqual([[], ['labshoppubsub-0']]);
    expect(lab.logLines(lab.owner(), /partitions assigned/)).toEqual(['inventory: partitions assigned: [labshoppubsub-0]']);
    expect(lab.logLines(lab.idle(), /partitions assigned/)).toEqual(['inventory: partitions assigned: []']);
    // kafka-consumer-groups --describe: one generation, both members, one of them without partitions.
    const [first] = lab.timeline.history(GROUP);
    expect(first).toMatchObject({ generation: 1, cause: 'join', protocol: 'range' });
    expect([...first!.membersAfter].sort()).toEqual(['inventory-8082', 'inventory-8083']);
  });

  it('4 orders on the 1-partition topic all decrement stock at the one assigned inventory consumer', async () => {
    const lab = inventoryLab(2);
    const producer = lab.producer();
    expect(await placeOrders(lab, producer, 4)).toEqual([0, 0, 0, 0]);
    lab.run(5_000);
    expect(lab.handled[lab.owner()]).toHaveLength(4);
    expect(lab.handled[lab.idle()]).toEqual([]);
  });

  it('after kafka-topics --alter --partitions 2 nothing moves until the leader refreshes metadata (metadata.max.age.ms 300000); then each consumer owns one partition', () => {
    const lab = inventoryLab(3);
    const refreshesBefore = lab.timeline.history(GROUP).length;
    lab.cluster.createPartitions(TOPIC, 2);
    // Two minutes later the group has not noticed: the consumers' metadata is up to 5 minutes old.
    lab.run(120_000);
    expect(lab.timeline.history(GROUP)).toHaveLength(refreshesBefore);
    expect(lab.assignment(lab.idle())).toEqual([]);
    // Skip ahead past metadata.max.age.ms: the leader sees 2 partitions and rejoins.
    lab.run(200_000);
    const [latest] = lab.timeline.history(GROUP);
    expect(latest).toMatchObject({ generation: 2, cause: 'partitions-added' });
    expect(latest!.reason).toMatch(/^Leader inventory-808[23]-\S+ re-joining group during Stable; client reason: cached metadata has changed/);
    expect([lab.assignment('inventory-8082'), lab.assignment('inventory-8083')].sort()).toEqual([['labshoppubsub-0'], ['labshoppubsub-1']]);
    const assignedLines = [...lab.logLines('inventory-8082', /partitions assigned/), ...lab.logLines('inventory-8083', /partitions assigned/)];
    expect(assignedLines).toContain('inventory: partitions assigned: [labshoppubsub-1]');
    // The rebalance (EAGER: range) stopped the old partition for a while: a window > 0 was measured.
    const window = latest!.stopTheWorld.find((w) => w.partition === 0);
    expect(window?.pausedMs).toBeGreaterThan(0);
  });

  it('with RoundRobinPartitioner (Kafka 3.0-3.8), keyless orders sent one at a time all go to partition 1 of 2, not alternating (KAFKA-9965)', async () => {
    // The seed saw orders alternate between the two inventory replicas. Its order service ran an older
    // client (before Kafka 2.4 the default partitioner itself round-robined keyless records). With the
    // Java client 3.0-3.8 and partitioner.class=RoundRobinPartitioner, every record that needs a new
    // batch makes KafkaProducer.doSend call the partitioner twice (KIP-480's abortOnNewBatch; the
    // RoundRobinPartitioner does not override onNewBatch), so the counter moves by 2 per record. With
    // linger.ms=0 and one order at a time, every order needs a new batch: counter 0 -> partition 0 ->
    // abort, counter 1 -> partition 1; counter 2 -> 0 -> abort, 3 -> 1; ... With 2 partitions every
    // order lands on partition 1 and one inventory replica gets them all. Fixed in 3.9 (KAFKA-17632).
    const lab = inventoryLab(4);
    lab.cluster.createPartitions(TOPIC, 2);
    lab.run(320_000);
    expect([lab.assignment('inventory-8082'), lab.assignment('inventory-8083')].sort()).toEqual([['labshoppubsub-0'], ['labshoppubsub-1']]);
    const producer = lab.producer({ lingerMs: 0, partitioner: { kind: 'roundRobin' } });
    expect(await placeOrders(lab, producer, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    lab.run(5_000);
    const ownerOf1 = ['inventory-8082', 'inventory-8083'].find((id) => lab.assignment(id).includes('labshoppubsub-1'))!;
    const ownerOf0 = ['inventory-8082', 'inventory-8083'].find((id) => id !== ownerOf1)!;
    expect(lab.handled[ownerOf1]).toHaveLength(6);
    expect(lab.handled[ownerOf0]).toEqual([]);
  });

  it('with the default partitioner (Kafka 3.3+, KIP-794), keyless orders stick to one partition until batch.size bytes were sent to it', async () => {
    const lab = inventoryLab(5);
    lab.cluster.createPartitions(TOPIC, 2);
    lab.run(320_000);
    // batch.size 16384 (default): 60 small orders (~110 bytes each as one-record batches) never leave the sticky partition.
    const sticky = await placeOrders(lab, lab.producer({}, 'order-service-default'), 60);
    expect(new Set(sticky).size).toBe(1);
    lab.run(5_000);
    const owner = ['inventory-8082', 'inventory-8083'].find((id) => lab.assignment(id).includes(`labshoppubsub-${sticky[0]}`))!;
    expect(lab.handled[owner]!.filter((h) => JSON.parse(h.slice(h.indexOf(':') + 1)).eventType === 'OrderPlaced')).toHaveLength(60);

    // batch.size 1000: the partitioner counts the bytes of each one-record batch (61 bytes of batch
    // header + the record) and draws a new partition at the first append after 1000 bytes; the draw
    // is uniform and may pick the same partition again.
    const batchSize = 1000;
    const bytesPerOrder = RECORD_BATCH_OVERHEAD + recordSizeInBytes(0, 0, null, new TextEncoder().encode(orderPlaced(1000)), []);
    const perEpoch = Math.ceil(batchSize / bytesPerOrder);
    const epochs = 12;
    const placed = await placeOrders(lab, lab.producer({ batchSizeBytes: batchSize }, 'order-service-small-batches'), perEpoch * epochs, 1000);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const slice = placed.slice(epoch * perEpoch, (epoch + 1) * perEpoch);
      expect(new Set(slice).size, `orders ${epoch * perEpoch}..${(epoch + 1) * perEpoch - 1} share one sticky partition`).toBe(1);
    }
    expect(new Set(placed)).toEqual(new Set([0, 1]));
  });
});
