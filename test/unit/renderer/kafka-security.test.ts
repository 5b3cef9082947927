// @vitest-environment jsdom
/**
 * The Kafka clients panel's security: the store switches the protocol and adds and deletes SCRAM
 * users through the contract, folds each answer in, and reads again on the kafkaSecurity event; the
 * panel shows the protocol with its toggle, the client settings for SASL_PLAINTEXT, the users with
 * their iterations (never a password), checks the add-user form before sending, and shows the
 * engine's refusal next to it — in English and Korean.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../../engine/api/contract';
import type { KafkaListenersDto } from '../../../engine/api/kafka-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import KafkaClientsPanel from '../../../renderer/src/components/cluster/KafkaClientsPanel.vue';
import { clientSettings, emptyAddUserForm, validateAddUser } from '../../../renderer/src/domain/kafka-security';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useKafkaClientsStore } from '../../../renderer/src/stores/kafka-clients-store';
import { fakeEngine, refusal, type FakeEngine } from './fake-engine-api';

let engine: FakeEngine;
let view: VueWrapper | null = null;
/** What the fake engine holds: the protocol and the users. */
let listeners: KafkaListenersDto;

function plain(): KafkaListenersDto {
  return {
    enabled: true,
    listeners: [
      { brokerId: 1, host: '127.0.0.1', port: 9092 },
      { brokerId: 2, host: '127.0.0.1', port: 9093 },
    ],
    clients: [],
    securityProtocol: 'PLAINTEXT',
    saslMechanisms: [],
    users: [],
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  listeners = plain();
  engine.on('kafkaListeners', () => structuredClone(listeners));
  engine.on('setKafkaSecurity', (request) => {
    const { protocol } = request as CommandRequest<'setKafkaSecurity'>;
    listeners = { ...listeners, securityProtocol: protocol, saslMechanisms: protocol === 'SASL_PLAINTEXT' ? ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] : [] };
    return { protocol };
  });
  engine.on('upsertScramUser', (request) => {
    const r = request as CommandRequest<'upsertScramUser'>;
    if (r.user === 'taken') throw refusal('POLICY_VIOLATION', 'The workbench holds SCRAM credentials for at most 64 users.');
    const others = listeners.users.filter((u) => u.user !== r.user);
    const mine = listeners.users.find((u) => u.user === r.user)?.mechanisms.filter((m) => m.mechanism !== r.mechanism) ?? [];
    const user = { user: r.user, mechanisms: [...mine, { mechanism: r.mechanism, iterations: r.iterations ?? 4096 }].sort((a, b) => a.mechanism.localeCompare(b.mechanism)) };
    listeners = { ...listeners, users: [...others, user].sort((a, b) => a.user.localeCompare(b.user)) };
    return { users: listeners.users };
  });
  engine.on('deleteScramUser', (request) => {
    const r = request as CommandRequest<'deleteScramUser'>;
    const user = listeners.users.find((u) => u.user === r.user);
    if (user?.mechanisms.some((m) => m.mechanism === r.mechanism) !== true) throw refusal('RESOURCE_NOT_FOUND', 'Attempt to delete a user credential that does not exist', 91);
    listeners = {
      ...listeners,
      users: listeners.users.map((u) => (u.user === r.user ? { ...u, mechanisms: u.mechanisms.filter((m) => m.mechanism !== r.mechanism) } : u)).filter((u) => u.mechanisms.length > 0),
    };
    return { users: listeners.users };
  });
});

afterEach(() => {
  view?.unmount();
  view = null;
});

async function mountPanel(locale: 'en' | 'ko' = 'en'): Promise<VueWrapper> {
  view = mount(KafkaClientsPanel, { global: { plugins: [createAppI18n(locale)] } });
  await flushPromises();
  return view;
}

describe('the Kafka clients store: security and SCRAM users', () => {
  it('sends the commands, folds the answers in, and reads again on the kafkaSecurity event', async () => {
    const store = useKafkaClientsStore();
    await store.refresh();
    await store.setSecurity('SASL_PLAINTEXT');
    expect(store.state).toMatchObject({ securityProtocol: 'SASL_PLAINTEXT', saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    await store.addUser('alice', 'SCRAM-SHA-512', 'alice-secret');
    expect(engine.calls.find((c) => c.name === 'upsertScramUser')?.request).toEqual({ user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'alice-secret' });
    expect(store.state?.users).toEqual([{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] }]);
    await store.deleteUser('alice', 'SCRAM-SHA-512');
    expect(store.state?.users).toEqual([]);
    await expect(store.deleteUser('alice', 'SCRAM-SHA-512')).rejects.toMatchObject({ errorName: 'RESOURCE_NOT_FOUND' });

    // A user added in the console: the event makes the store read again.
    const stop = store.watch();
    listeners = { ...listeners, users: [{ user: 'bob', mechanisms: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] }] };
    engine.emit('kafkaSecurity', { change: 'users', protocol: null });
    await flushPromises();
    expect(store.state?.users.map((u) => u.user)).toEqual(['bob']);
    stop();
    expect(engine.subscriberCount('kafkaSecurity')).toBe(0);
  });

  it('checks the add-user form as the contract does', () => {
    expect(validateAddUser({ ...emptyAddUserForm(), user: ' alice ', password: 'p' })).toEqual({ ok: true, request: { user: 'alice', mechanism: 'SCRAM-SHA-512', password: 'p' } });
    expect(validateAddUser(emptyAddUserForm())).toEqual({
      ok: false,
      problems: { user: { key: 'cluster.kafka.security.userRequired' }, password: { key: 'cluster.kafka.security.passwordRequired' } },
    });
    expect(validateAddUser({ ...emptyAddUserForm(), user: 'x'.repeat(256), password: 'p' })).toMatchObject({ ok: false, problems: { user: { key: 'cluster.kafka.security.userTooLong' } } });
    expect(validateAddUser({ ...emptyAddUserForm(), user: 'a\tb', password: 'p' })).toMatchObject({ ok: false, problems: { user: { key: 'cluster.kafka.security.userControl' } } });
  });

  it('gives kafka-python, kcat and Java client settings for SASL_PLAINTEXT, with a placeholder for the password', () => {
    const settings = clientSettings('127.0.0.1:9092,127.0.0.1:9093', 'SCRAM-SHA-512', 'alice');
    expect(settings.python).toBe(
      [
        'KafkaProducer(',
        '    bootstrap_servers="127.0.0.1:9092,127.0.0.1:9093",',
        '    security_protocol="SASL_PLAINTEXT",',
        '    sasl_mechanism="SCRAM-SHA-512",',
        '    sasl_plain_username="alice",',
        '    sasl_plain_password="<password>",',
        ')',
      ].join('\n'),
    );
    expect(settings.kcat).toBe(
      ['kcat -b 127.0.0.1:9092,127.0.0.1:9093 -L', '  -X security.protocol=SASL_PLAINTEXT', '  -X sasl.mechanisms=SCRAM-SHA-512', '  -X sasl.username=alice', "  -X 'sasl.password=<password>'"].join(' \\\n'),
    );
    expect(settings.java).toContain('sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="<password>";');
    expect(clientSettings('h:1', 'PLAIN', "o'neil").kcat).toContain("-X 'sasl.username=o'\\''neil'");
    expect(clientSettings('h:1', 'PLAIN', 'bob').java).toContain('org.apache.kafka.common.security.plain.PlainLoginModule');
  });
});

describe('KafkaClientsPanel: listener security', () => {
  it('shows PLAINTEXT with its hint; the toggle switches to SASL_PLAINTEXT and shows the mechanisms and client settings', async () => {
    const panel = await mountPanel();
    const security = panel.get('[data-testid="kafka-security"]');
    expect(security.attributes('data-protocol')).toBe('PLAINTEXT');
    expect(security.get('[data-testid="kafka-security-hint"]').text()).toBe('The default listener needs no authentication: any client on this machine can connect.');
    expect(security.find('[data-testid="kafka-client-settings"]').exists()).toBe(false);
    expect((security.get('[data-testid="kafka-security-PLAINTEXT"]').element as HTMLInputElement).checked).toBe(true);

    await security.get('[data-testid="kafka-security-SASL_PLAINTEXT"]').setValue(true);
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'setKafkaSecurity').map((c) => c.request)).toEqual([{ protocol: 'SASL_PLAINTEXT' }]);
    expect(security.attributes('data-protocol')).toBe('SASL_PLAINTEXT');
    expect(security.findAll('[data-testid="kafka-sasl-mechanism"]').map((m) => m.text())).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    expect(security.get('[data-testid="kafka-settings-python"]').text()).toContain('bootstrap_servers="127.0.0.1:9092,127.0.0.1:9093"');
    expect(security.find('[data-testid="kafka-settings-kcat"]').exists()).toBe(false);
    await security.get('[data-testid="kafka-settings-client-kcat"]').setValue(true);
    expect(security.get('[data-testid="kafka-settings-kcat"]').text()).toContain('-X sasl.mechanisms=SCRAM-SHA-512');
    await security.get('[data-testid="kafka-settings-client-java"]').setValue(true);
    expect(security.get('[data-testid="kafka-settings-java"]').text()).toContain('sasl.mechanism=SCRAM-SHA-512');
    // Every input has a label.
    for (const input of security.findAll('input:not([type="radio"]), select')) expect(security.find(`label[for="${input.attributes('id')}"]`).exists(), input.html()).toBe(true);
  });

  it('adds a user (the settings follow it), lists its mechanisms with iterations, deletes one; no password is ever shown', async () => {
    listeners = { ...listeners, securityProtocol: 'SASL_PLAINTEXT', saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] };
    const panel = await mountPanel();
    expect(panel.get('[data-testid="kafka-no-users"]').text()).toContain('kafka-configs --alter --entity-type users');
    await panel.get('[data-testid="kafka-add-user-name"]').setValue('alice');
    await panel.get('[data-testid="kafka-add-user-password"]').setValue('alice-secret');
    await panel.get('[data-testid="kafka-add-user"]').trigger('submit');
    await flushPromises();
    expect(panel.get('[data-testid="kafka-user-added"]').text()).toBe('Added the credential of alice.');
    expect((panel.get('[data-testid="kafka-add-user-password"]').element as HTMLInputElement).value).toBe('');
    const row = panel.get('[data-testid="kafka-user"][data-user="alice"]');
    expect(row.get('[data-testid="kafka-user-credential"]').text()).toContain('SCRAM-SHA-512');
    expect(row.text()).toContain('4096 iterations');
    expect(panel.get('[data-testid="kafka-settings-python"]').text()).toContain('sasl_plain_username="alice"');
    expect(panel.text()).not.toContain('alice-secret');

    await row.get('[data-testid="kafka-user-delete"]').trigger('click');
    await flushPromises();
    expect(engine.calls.filter((c) => c.name === 'deleteScramUser').map((c) => c.request)).toEqual([{ user: 'alice', mechanism: 'SCRAM-SHA-512' }]);
    expect(panel.find('[data-testid="kafka-user"]').exists()).toBe(false);
  });

  it("checks the form before sending, and shows the engine's refusal next to it", async () => {
    const panel = await mountPanel();
    await panel.get('[data-testid="kafka-add-user"]').trigger('submit');
    await flushPromises();
    expect(panel.get('[data-testid="kafka-add-user-problems"]').text()).toContain('Enter a user name.');
    expect(panel.get('[data-testid="kafka-add-user-name"]').attributes('aria-invalid')).toBe('true');
    expect(engine.calls.some((c) => c.name === 'upsertScramUser')).toBe(false);

    await panel.get('[data-testid="kafka-add-user-name"]').setValue('taken');
    await panel.get('[data-testid="kafka-add-user-password"]').setValue('p');
    await panel.get('[data-testid="kafka-add-user"]').trigger('submit');
    await flushPromises();
    const error = panel.get('[data-testid="kafka-add-user-error"]');
    expect(error.get('[data-testid="engine-error-name"]').text()).toBe('POLICY_VIOLATION');
    expect(error.get('[data-testid="engine-error-message"]').text()).toBe('The workbench holds SCRAM credentials for at most 64 users.');
  });

  it('speaks Korean', async () => {
    listeners = { ...listeners, users: [{ user: 'alice', mechanisms: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] }] };
    const panel = await mountPanel('ko');
    expect(panel.text()).toContain('리스너 보안');
    expect(panel.text()).toContain('반복 8192회');
    expect(panel.get('[data-testid="kafka-user-delete"]').attributes('aria-label')).toBe('alice의 SCRAM-SHA-256 자격 증명 삭제');
  });
});
