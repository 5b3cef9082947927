/**
 * The words of the Faults view in the learner's language: each fault kind's name, what it does
 * and its undo, a fault's label with its target ("Broker 2 crashes"), and each preset's title and
 * lesson; its source (an incident or a KIP) is a name and stays as the engine gives it. The
 * catalogue comes from the engine in English; a kind or preset the UI has no words for yet (one
 * the engine added later) shows the engine's text.
 */
import { useI18n } from 'vue-i18n';
import type { FaultKind, FaultTarget, PresetId } from '../../../engine/api/faults-dto';
import { targetParams, type FaultKindInfo, type FaultTargetType, type PresetInfo } from '../domain/faults';

export interface FaultText {
  kindTitle(kind: FaultKind): string;
  kindDescription(info: FaultKindInfo): string;
  kindUndo(info: FaultKindInfo): string;
  targetLabel(target: FaultTarget): string;
  targetTypeLabel(type: FaultTargetType): string;
  presetTitle(presetId: PresetId, fallback?: string): string;
  presetLesson(info: PresetInfo): string;
  presetSource(info: PresetInfo): string;
}

export function useFaultText(): FaultText {
  const { t, te } = useI18n();
  const or = (key: string, fallback: string, params?: Record<string, string | number>): string => (te(key) ? t(key, params ?? {}) : fallback);
  return {
    kindTitle: (kind) => or(`faults.kinds.${kind}.title`, kind),
    kindDescription: (info) => or(`faults.kinds.${info.kind}.description`, info.description),
    kindUndo: (info) => or(`faults.kinds.${info.kind}.undo`, info.undo),
    targetLabel: (target) => or(`faults.kinds.${target.kind}.label`, target.kind, targetParams(target)),
    targetTypeLabel: (type) => or(`faults.targetTypes.${type}`, type),
    presetTitle: (presetId, fallback) => or(`faults.presets.${presetId}.title`, fallback ?? presetId),
    presetLesson: (info) => or(`faults.presets.${info.presetId}.lesson`, info.lesson),
    // The source names an incident or a KIP, which reads the same in every language.
    presetSource: (info) => info.source,
  };
}
