/**
 * The Reports view's state: the runs the history keeps (with the filters), the run whose report
 * is open (kept while the learner visits other views) and its HTML per language, and the last
 * export. Answers older than a later request are dropped, so a slow answer never replaces a newer
 * one.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ExportedFile, ReportFormatName, RunHistory } from '../../../engine/api/reports-dto';
import { engineApi } from '../api/api-provider';
import { base64ToBytes, saveFile } from '../domain/downloads';
import { shownError, type ShownError } from '../domain/engine-error';

export type ReportLocale = 'en' | 'ko';

export interface SavedExport {
  readonly fileName: string;
  readonly sizeBytes: number;
}

export const useRunHistoryStore = defineStore('runHistory', () => {
  const history = shallowRef<RunHistory | null>(null);
  const labFilter = ref<string>('');
  const participantFilter = ref<string>('');
  const error = shallowRef<ShownError | null>(null);
  const openRunId = ref<string | null>(null);
  /** The open run's report: its HTML in the language it was made in. */
  const preview = shallowRef<{ runId: string; locale: ReportLocale; html: string } | null>(null);
  const previewError = shallowRef<ShownError | null>(null);
  const exporting = ref<ReportFormatName | null>(null);
  const lastExport = shallowRef<SavedExport | null>(null);
  const exportError = shallowRef<ShownError | null>(null);
  let listing = 0;
  let previewing = 0;

  const openRun = computed(() => history.value?.runs.find((r) => r.runId === openRunId.value) ?? null);

  async function refresh(): Promise<void> {
    const mine = ++listing;
    const filter: { labId?: string; participant?: string } = {};
    if (labFilter.value !== '') filter.labId = labFilter.value;
    if (participantFilter.value !== '') filter.participant = participantFilter.value;
    try {
      const answer = await engineApi().query('runHistory', filter);
      if (mine !== listing) return;
      history.value = answer;
      error.value = null;
    } catch (caught) {
      if (mine === listing) error.value = shownError(caught);
    }
  }

  function setFilters(labId: string, participant: string): Promise<void> {
    labFilter.value = labId;
    participantFilter.value = participant;
    return refresh();
  }

  /** Opens a run's report in `locale`; the same run again in another language reads it again. */
  async function open(runId: string, locale: ReportLocale): Promise<void> {
    if (openRunId.value !== runId) {
      lastExport.value = null;
      exportError.value = null;
    }
    openRunId.value = runId;
    if (preview.value?.runId === runId && preview.value.locale === locale) return;
    const mine = ++previewing;
    preview.value = null;
    previewError.value = null;
    try {
      const answer = await engineApi().query('reportPreview', { runId, locale });
      if (mine === previewing) preview.value = { runId, locale, html: answer.html };
    } catch (caught) {
      if (mine === previewing) previewError.value = shownError(caught);
    }
  }

  function close(): void {
    previewing++;
    openRunId.value = null;
    preview.value = null;
    previewError.value = null;
    lastExport.value = null;
    exportError.value = null;
  }

  /** Exports the open run in `format` and saves the file; the list is read again (it counts exports). */
  async function exportOpen(format: ReportFormatName, locale: ReportLocale, save: (file: ExportedFile) => void = saveExported): Promise<void> {
    const runId = openRunId.value;
    if (runId === null || exporting.value !== null) return;
    exporting.value = format;
    exportError.value = null;
    try {
      const file = await engineApi().command('exportReport', { runId, format, locale });
      save(file);
      lastExport.value = { fileName: file.fileName, sizeBytes: file.sizeBytes };
      await refresh();
    } catch (caught) {
      exportError.value = shownError(caught);
    } finally {
      exporting.value = null;
    }
  }

  /** Deletes a run (the engine refuses the open lab's run); a deleted open report closes. */
  async function remove(runId: string): Promise<void> {
    await engineApi().command('deleteRun', { runId });
    if (openRunId.value === runId) close();
    await refresh();
  }

  return {
    history,
    labFilter,
    participantFilter,
    error,
    openRunId,
    openRun,
    preview,
    previewError,
    exporting,
    lastExport,
    exportError,
    refresh,
    setFilters,
    open,
    close,
    exportOpen,
    remove,
  };
});

function saveExported(file: ExportedFile): void {
  saveFile(file.fileName, file.mimeType, base64ToBytes(file.contentBase64));
}
