// @vitest-environment jsdom
/**
 * The clock bar as a component: labelled controls in the user's language, Step only while paused,
 * the speed as a radio group, and an engine refusal shown with Kafka's error name until dismissed.
 */
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClockState } from '../../../engine/api/dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import ClockBar from '../../../renderer/src/components/shell/ClockBar.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { useClusterStore } from '../../../renderer/src/stores/cluster-store';
import { broker, fakeEngine, refusal, status, type FakeEngine } from './fake-engine-api';

const T0 = new Date(2025, 4, 6, 7, 8, 9, 10).getTime();
let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
});

function mountBar(clock: ClockState, locale: 'en' | 'ko' = 'en') {
  useClusterStore().setStatus({ ...status([broker(1), broker(2), broker(3)], []), clock });
  return mount(ClockBar, { global: { plugins: [createAppI18n(locale)] } });
}

describe('ClockBar', () => {
  it('shows the engine time and state, and offers Step only while paused', async () => {
    const bar = mountBar({ running: true, speed: 2, nowMs: T0 });
    expect(bar.get('[data-testid="clock-time"]').text()).toBe('07:08:09.010');
    expect(bar.get('[data-testid="clock-state"]').text()).toContain('Running');
    expect(bar.get('[data-testid="clock-state-speed"]').text()).toBe('2×');
    expect(bar.get('[data-testid="clock-toggle"]').text()).toBe('Pause');
    expect(bar.get('[data-testid="clock-step"]').attributes('disabled')).toBeDefined();
    expect(bar.get('input[type="radio"][value="2"]').element).toHaveProperty('checked', true);

    engine.on('pauseClock', () => ({ running: false, speed: 2, nowMs: T0 + 1 }));
    await bar.get('[data-testid="clock-toggle"]').trigger('click');
    await flushPromises();
    expect(bar.get('[data-testid="clock-state"]').text()).toContain('Paused');
    expect(bar.get('[data-testid="clock-toggle"]').text()).toBe('Play');
    expect(bar.get('[data-testid="clock-step"]').attributes('disabled')).toBeUndefined();
    expect(bar.get('[data-testid="clock-time"]').text()).toBe('07:08:09.011');
    bar.unmount();
  });

  it('sends the chosen speed and skip', async () => {
    const bar = mountBar({ running: true, speed: 1, nowMs: T0 });
    engine.on('setClockSpeed', (request) => ({ running: true, speed: (request as { speed: number }).speed, nowMs: T0 }));
    engine.on('skipAhead', (request) => ({ running: true, speed: 0.25, nowMs: T0 + (request as { durationMs: number }).durationMs }));
    await bar.get('input[type="radio"][value="0.25"]').setValue(true);
    await bar.get('[data-testid="clock-skip1m"]').trigger('click');
    await flushPromises();
    expect(engine.calls.map((c) => [c.name, c.request])).toEqual([
      ['setClockSpeed', { speed: 0.25 }],
      ['skipAhead', { durationMs: 60_000 }],
    ]);
    expect(bar.get('[data-testid="clock-state-speed"]').text()).toBe('0.25×');
    expect(bar.get('[data-testid="clock-time"]').text()).toBe('07:09:09.010');
    bar.unmount();
  });

  it("shows a refusal with Kafka's error name and message, until dismissed", async () => {
    const bar = mountBar({ running: false, speed: 1, nowMs: T0 });
    engine.on('stepClock', () => {
      throw refusal('INVALID_REQUEST', 'Pause the clock before stepping through events one at a time.', 42);
    });
    await bar.get('[data-testid="clock-step"]').trigger('click');
    await flushPromises();
    const error = bar.get('[data-testid="clock-error"]');
    expect(error.get('[data-testid="engine-error-name"]').text()).toBe('INVALID_REQUEST');
    expect(error.get('[data-testid="engine-error-message"]').text()).toBe('Pause the clock before stepping through events one at a time.');
    await error.get('button[aria-label="Dismiss"]').trigger('click');
    expect(bar.find('[data-testid="clock-error"]').exists()).toBe(false);
    bar.unmount();
  });

  it('speaks Korean', () => {
    const bar = mountBar({ running: false, speed: 1, nowMs: T0 }, 'ko');
    expect(bar.get('[data-testid="clock-toggle"]').text()).toBe('재생');
    expect(bar.get('[data-testid="clock-state"]').text()).toContain('일시 정지됨');
    expect(bar.get('section').attributes('aria-label')).toBe('엔진 시계');
    expect(bar.text()).toContain('+10초');
    bar.unmount();
  });
});
