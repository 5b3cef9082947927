import { describe, expect, it } from 'vitest';
import { groupLab } from './group-lab.js';

describe('smoke', () => {
  it('two inventory consumers on a 1-partition topic: one owns it, the other has []', () => {
    const lab = groupLab(1);
    lab.cluster.createTopic({ name: 'labshoppubsub', partitions: 1, replicationFactor: 3, configs: {} });
    lab.run(100);
    lab.startApp({ clientId: 'inventory-1', groupId: 'inventory', topics: ['labshoppubsub'] });
    lab.startApp({ clientId: 'inventory-2', groupId: 'inventory', topics: ['labshoppubsub'] });
    lab.run(10_000);
    const a = lab.assignment('inventory-1');
    const b = lab.assignment('inventory-2');
    console.log(a, b, lab.apps.get('inventory-1')!.consumer.logText().slice(-15).join('\n'));
    console.log(JSON.stringify(lab.timeline.history('inventory'), null, 1));
    expect([a, b].sort()).toEqual([[], ['labshoppubsub-0']]);
  });
});
