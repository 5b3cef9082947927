// @vitest-environment jsdom
/**
 * A broker card says what state the broker's process is in, in words: running, stopped, or paused
 * by a fault (SIGSTOP: the process is there but runs nothing, and the controller fences it).
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import BrokerCard from '../../../renderer/src/components/cluster/BrokerCard.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { broker, fakeEngine } from './fake-engine-api';

beforeEach(() => {
  setActivePinia(createPinia());
  provideEngineApi(fakeEngine().api);
});

describe('BrokerCard', () => {
  it('shows a paused broker as paused, with why, and still offers kill (a frozen process can be killed)', () => {
    const card = mount(BrokerCard, { props: { broker: { ...broker(2), state: 'paused', fenced: true } }, global: { plugins: [createAppI18n('en')] } });
    expect(card.get('[data-testid="broker-state"]').text()).toBe('Paused');
    expect(card.get('[data-testid="broker-note"]').text()).toContain('SIGSTOP');
    expect(card.text()).toContain('Kill');
    card.unmount();
  });

  it('says it in Korean too', () => {
    const card = mount(BrokerCard, { props: { broker: { ...broker(2), state: 'paused', fenced: false } }, global: { plugins: [createAppI18n('ko')] } });
    expect(card.get('[data-testid="broker-state"]').text()).toBe('일시 정지됨');
    card.unmount();
  });
});
