/**
 * kafka-configs --entity-type users: SCRAM credentials as Kafka 3.7.0's ConfigCommand adds, deletes
 * and describes them (the commands of Kafka's "Authentication using SASL/SCRAM" documentation), the
 * real tool's lines, and for bad input the real tool's message with nothing changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaConfigsTool } from '../../../engine/console/tools/kafka-configs.js';
import { verifyScramPassword } from '../../../engine/cluster/scram-credentials.js';
import { consoleLab } from './console-lab.js';

const SEED = 23;
const B = ['--bootstrap-server', 'localhost:9092'];
let lab: ReturnType<typeof consoleLab>;
afterEach(() => lab?.close());

const configs = (args: string[]) => lab.run(kafkaConfigsTool, [...B, ...args]);
const alice = ['--entity-type', 'users', '--entity-name', 'alice'];
const users = async () => (await lab.engine.query('describeScramUsers', {})).users;
const scramTimeline = () => lab.workbench.eventTimeline.entriesAfter(0, 100).entries.filter((e) => e.code.startsWith('user.scram'));

describe(`kafka-configs --entity-type users (seed ${SEED}; rerun with it to reproduce)`, () => {
  it('--add-config SCRAM-SHA-512=[password=...] creates the credential; --describe prints it with its iterations', async () => {
    lab = consoleLab(SEED);
    expect(await configs(['--alter', '--add-config', 'SCRAM-SHA-512=[password=alice-secret]', ...alice])).toEqual({ code: 0, out: ['Completed updating config for user alice.'], err: [] });
    expect(await users()).toEqual([{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] }]);
    expect(await configs(['--describe', ...alice])).toEqual({ code: 0, out: ["SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-512=iterations=4096"], err: [] });
    // The credential is the password's: the cluster can check a PLAIN login against it.
    const credential = lab.workbench.cluster.scramCredential('alice', 'SCRAM-SHA-512');
    expect(credential?.iterations).toBe(4096);
    expect(verifyScramPassword(credential!, 'alice-secret')).toBe(true);
    expect(verifyScramPassword(credential!, 'alice-secret ')).toBe(false);
  });

  it('both mechanisms in one --add-config (the documentation\'s example), iterations=8192; --describe of every user; --user shortcut', async () => {
    lab = consoleLab(SEED);
    const add = 'SCRAM-SHA-256=[iterations=8192,password=alice-secret],SCRAM-SHA-512=[password=alice-secret]';
    expect(await configs(['--alter', '--add-config', add, ...alice])).toEqual({ code: 0, out: ['Completed updating config for user alice.'], err: [] });
    expect(await configs(['--alter', '--add-config', 'SCRAM-SHA-256=[password=bob-secret]', '--user', 'bob'])).toEqual({ code: 0, out: ['Completed updating config for user bob.'], err: [] });
    expect(await configs(['--describe', '--entity-type', 'users'])).toEqual({
      code: 0,
      out: [
        "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096",
        "SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-256=iterations=4096",
      ],
      err: [],
    });
    expect((await configs(['--describe', '--user', 'bob'])).out).toEqual(["SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-256=iterations=4096"]);
    // A user without credentials is left out, as the admin client's users() leaves it out; so is the default user.
    expect(await configs(['--describe', '--entity-type', 'users', '--entity-name', 'carol'])).toEqual({ code: 0, out: [], err: [] });
    expect(await configs(['--describe', '--entity-type', 'users', '--entity-default'])).toEqual({ code: 0, out: [], err: [] });
  });

  it('--delete-config SCRAM-SHA-512 removes that credential only; the changes are on the timeline in the controller\'s words', async () => {
    lab = consoleLab(SEED);
    await configs(['--alter', '--add-config', 'SCRAM-SHA-256=[password=a],SCRAM-SHA-512=[password=a]', ...alice]);
    await configs(['--alter', '--add-config', 'SCRAM-SHA-512=[iterations=16384,password=b]', ...alice]);
    expect(await configs(['--alter', '--delete-config', 'SCRAM-SHA-512', ...alice])).toEqual({ code: 0, out: ['Completed updating config for user alice.'], err: [] });
    expect(await users()).toEqual([{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-256', iterations: 4096 }] }]);
    expect(await configs(['--alter', '--delete-config', 'SCRAM-SHA-256', ...alice])).toEqual({ code: 0, out: ['Completed updating config for user alice.'], err: [] });
    expect(await users()).toEqual([]);
    expect(await configs(['--describe', '--entity-type', 'users'])).toEqual({ code: 0, out: [], err: [] });
    expect(scramTimeline().map((e) => [e.kind, e.text])).toEqual([
      ['config', 'Replayed UserScramCredentialRecord creating new entry for alice with mechanism SCRAM_SHA_256.'],
      ['config', 'Replayed UserScramCredentialRecord creating new entry for alice with mechanism SCRAM_SHA_512.'],
      ['config', 'Replayed UserScramCredentialRecord modifying existing entry for alice with mechanism SCRAM_SHA_512.'],
      ['config', 'Replayed RemoveUserScramCredentialRecord for alice with mechanism SCRAM_SHA_512.'],
      ['config', 'Replayed RemoveUserScramCredentialRecord for alice with mechanism SCRAM_SHA_256.'],
    ]);
  });

  it('ConfigCommand\'s own checks print the bare message (exit 1) and change nothing', async () => {
    lab = consoleLab(SEED);
    await configs(['--alter', '--add-config', 'SCRAM-SHA-256=[password=keep]', ...alice]);
    const before = await users();
    const cases: [string[], string][] = [
      [['--alter', '--add-config', 'SCRAM-SHA-1=[password=x]', ...alice], "Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(SCRAM-SHA-1)"],
      [['--alter', '--delete-config', 'SCRAM-SHA-1', ...alice], "Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: ArrayBuffer(SCRAM-SHA-1)"],
      [['--alter', '--add-config', 'SCRAM-SHA-512=[iterations=8192]', ...alice], 'Invalid credential property SCRAM_SHA_512=iterations=8192'],
      [['--alter', '--add-config', 'SCRAM-SHA-512=alice-secret', ...alice], 'Invalid credential property SCRAM_SHA_512=alice-secret'],
      // Nothing of a valid mechanism is kept when another one of the same command is refused.
      [['--alter', '--add-config', 'SCRAM-SHA-256=[password=new],SCRAM-SHA-512=[iterations=1000,password=x]', ...alice], 'Iterations 1000 is less than the minimum 4096 required for SCRAM-SHA-512'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[iterations=4095,password=x]', ...alice], 'Iterations 4095 is less than the minimum 4096 required for SCRAM-SHA-256'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[iterations=99999999999,password=x]', ...alice], 'For input string: "99999999999"'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[password=x]', '--entity-type', 'users', '--entity-default'], 'The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[password=x]', '--user-defaults'], 'The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[password=x]', '--entity-type', 'users'], 'an entity-name or default entity must be specified with --alter of users, clients, brokers or ips'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[password=x],producer_byte_rate=1024', ...alice], "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server."],
    ];
    for (const [args, message] of cases) expect(await configs(args), args.join(' ')).toEqual({ code: 1, out: [], err: [message] });
    expect(await users()).toEqual(before);
    expect(lab.workbench.cluster.scramCredential('alice', 'SCRAM-SHA-256')).not.toBeNull();
    expect(scramTimeline()).toHaveLength(1);
  });

  it("the admin client's and the broker's refusals print as a failed admin call (ExecutionException) and change nothing", async () => {
    lab = consoleLab(SEED);
    await configs(['--alter', '--add-config', 'SCRAM-SHA-256=[password=keep]', ...alice]);
    const before = await users();
    const cases: [string[], string][] = [
      [['--alter', '--add-config', 'SCRAM-SHA-256=[iterations=16385,password=x]', ...alice], 'UnacceptableCredentialException: Too many iterations'],
      [['--alter', '--add-config', 'SCRAM-SHA-512=[password=]', ...alice], 'UnacceptableCredentialException: Password must not be empty'],
      [['--alter', '--delete-config', 'SCRAM-SHA-512', ...alice], 'ResourceNotFoundException: Attempt to delete a user credential that does not exist'],
      [['--alter', '--delete-config', 'SCRAM-SHA-256', '--entity-type', 'users', '--entity-name', 'nobody'], 'ResourceNotFoundException: Attempt to delete a user credential that does not exist'],
      // SCRAM-SHA-256 exists, SCRAM-SHA-512 does not: neither deletion happens.
      [['--alter', '--delete-config', 'SCRAM-SHA-256,SCRAM-SHA-512', ...alice], 'ResourceNotFoundException: Attempt to delete a user credential that does not exist'],
      [['--alter', '--add-config', 'SCRAM-SHA-256=[password=x]', '--delete-config', 'SCRAM-SHA-256', ...alice], 'DuplicateResourceException: A user credential cannot be altered twice in the same request'],
    ];
    for (const [args, message] of cases) {
      expect(await configs(args), args.join(' ')).toEqual({
        code: 1,
        out: [],
        err: [`Error while executing config command with args '${[...B, ...args].join(' ')}'`, `java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.${message}`],
      });
    }
    expect(await users()).toEqual(before);
  });

  it('quotas and clients are refused in one line: the workbench does not model them', async () => {
    lab = consoleLab(SEED);
    expect((await configs(['--alter', '--add-config', 'producer_byte_rate=1024', ...alice])).err).toEqual([
      'The workbench does not model client quotas: producer_byte_rate, consumer_byte_rate, request_percentage and controller_mutation_rate are not supported here.',
    ]);
    expect((await configs(['--describe', '--entity-type', 'users', '--entity-type', 'clients'])).err).toEqual([
      "The workbench models topic and broker configs and users' SCRAM credentials only: --entity-type users,clients is not supported here.",
    ]);
    expect(await users()).toEqual([]);
  });
});
