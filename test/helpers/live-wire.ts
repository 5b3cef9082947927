/**
 * A workbench on live time with Kafka listeners on free ports, as the engine worker runs them: the
 * rig of the wire-protocol tests (real clients, fuzz). Commands go through the gateway (validated,
 * with defaults); the listeners' log lines are kept for the test to read. Admin requests go through
 * the workbench as in the app (engine/host/wire-admin.ts); the listeners run PLAINTEXT unless the
 * test asks for SASL_PLAINTEXT.
 */
import { MonotonicClock } from '../../engine/core/clock.js';
import { LiveDriver } from '../../engine/core/live-driver.js';
import { SeededPrng } from '../../engine/core/prng.js';
import { Scheduler } from '../../engine/core/scheduler.js';
import { systemTimers } from '../../engine/core/timers.js';
import { Gateway } from '../../engine/host/gateway.js';
import { InProcessHost } from '../../engine/host/in-process-host.js';
import { wireAdminOf } from '../../engine/host/wire-admin.js';
import { Workbench } from '../../engine/host/workbench.js';
import { ProtocolListeners, type ListenerSecurityProtocol } from '../../engine/protocol/protocol-listeners.js';
import { MemoryDisk } from '../../engine/storage/disk/memory-disk.js';

export interface LiveWire {
  readonly workbench: Workbench;
  readonly gateway: Gateway;
  readonly listeners: ProtocolListeners;
  readonly logged: string[];
  /** host:port of every running broker's listener, as clients take it. */
  bootstrap(): string;
  /** Switches the listeners' security protocol (open connections close, as in the app). */
  setSecurity(protocol: ListenerSecurityProtocol): void;
  close(): void;
}

export async function startLiveWire(options: {
  brokerCount: number;
  seed: number;
  topics: readonly { name: string; partitions: number; replicationFactor: number }[];
  securityProtocol?: ListenerSecurityProtocol;
}): Promise<LiveWire> {
  let security: ListenerSecurityProtocol = options.securityProtocol ?? 'PLAINTEXT';
  const scheduler = new Scheduler(1_767_225_600_000);
  const driver = new LiveDriver(scheduler, new MonotonicClock(), systemTimers);
  const workbench = new Workbench({ brokerCount: options.brokerCount, disk: new MemoryDisk(), dataDir: '/data', clock: scheduler, prng: new SeededPrng(options.seed), timers: scheduler, uiTimers: systemTimers, time: driver });
  driver.resume();
  const gateway = new Gateway(new InProcessHost(workbench, (work) => (driver.kick(), work)));
  for (const topic of options.topics) {
    const created = await gateway.invoke('command', 'createTopic', topic);
    if (!created.ok) throw new Error(`createTopic ${topic.name}: ${created.error.message}`);
  }
  const logged: string[] = [];
  const listeners = new ProtocolListeners({
    host: '127.0.0.1',
    portFor: () => 0,
    status: () => workbench.status(),
    consumer: () => workbench.cluster.consumerNetwork('wire-test'),
    producer: () => workbench.cluster.producerNetwork('wire-test'),
    admin: () => wireAdminOf(workbench),
    securityProtocol: () => security,
    credential: (user, mechanism) => workbench.cluster.scramCredential(user, mechanism),
    prng: new SeededPrng(options.seed ^ 0x5a51),
    kick: () => driver.kick(),
    log: (line) => logged.push(line),
  });
  await listeners.sync();
  return {
    workbench,
    gateway,
    listeners,
    logged,
    bootstrap: () => listeners.advertised().map((b) => `${b.host}:${b.port}`).join(','),
    setSecurity: (protocol) => {
      security = protocol;
      listeners.securityChanged();
    },
    close: () => {
      listeners.close();
      driver.stop();
      workbench.close();
    },
  };
}
