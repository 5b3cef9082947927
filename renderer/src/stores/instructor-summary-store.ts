/**
 * The instructor's class summary: the JSON reports chosen (read in the page, bounded by
 * rendererLimits.summaryFilesMax and summaryFileBytesMax), the engine's class table over them, and
 * the files it left out with the reason.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { InstructorSummary } from '../../../engine/api/reports-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import { rendererLimits } from '../domain/renderer-limits';
import { summaryFiles } from '../domain/reports';

/** A chosen file: its name, size, and a way to read its text (File.text() in the page). */
export interface SummaryFile {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
}

export const useInstructorSummaryStore = defineStore('instructorSummary', () => {
  const summary = shallowRef<InstructorSummary | null>(null);
  /** Files the page left out before asking the engine (too many, too large). */
  const leftOut = shallowRef<{ tooMany: boolean; tooLarge: string[] }>({ tooMany: false, tooLarge: [] });
  const busy = ref(false);
  const error = shallowRef<ShownError | null>(null);

  async function make(files: readonly SummaryFile[], locale: 'en' | 'ko'): Promise<void> {
    if (busy.value || files.length === 0) return;
    busy.value = true;
    error.value = null;
    try {
      const chosen = summaryFiles(files, rendererLimits.summaryFilesMax, rendererLimits.summaryFileBytesMax);
      leftOut.value = { tooMany: chosen.tooMany, tooLarge: chosen.tooLarge };
      const texts = await Promise.all(chosen.read.map(async (file) => ({ name: file.name, text: await file.text() })));
      summary.value = texts.length === 0 ? null : await engineApi().query('instructorSummary', { files: texts, locale });
    } catch (caught) {
      error.value = shownError(caught);
    } finally {
      busy.value = false;
    }
  }

  return { summary, leftOut, busy, error, make };
});
