/**
 * Storage benchmark: `npm run bench -- storage`. Prints progress, then as its last line one JSON
 * object with the figures. Runs in a temporary directory under os.tmpdir(), deleted at the end.
 *
 * - appendRecordsPerSec100B: PartitionLog.appendAsLeader of producer batches (batch.size 16384)
 *   of 100-byte records: validation (CRC, record walk), offset assignment, write, indexing. The
 *   producer-side encoding is measured separately (encodeRecordsPerSec100B).
 * - appendMBPerSec1KiB / rawWriteMBPerSec: the same for 1 KiB records, against plain fs.writeSync
 *   of the same bytes in the same chunk sizes to a file in the same directory, in the same run.
 * - scanRecordsPerSec: read the 100 B log from offset 0 in 1 MiB fetches and decode every record
 *   (CRC checked, keys and values as views), as a consumer does.
 * - recoverySecPerGiBClean / Crash: open the broker's log dir after a clean shutdown, and after a
 *   "crash" with no recovery point (every segment re-scanned: sizes, CRCs, index rebuild). Measured
 *   on the logs written above and scaled to 1 GiB; `recoveryBytesMeasured` says how many bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NodeDisk } from '../../engine/storage/disk/node-disk.js';
import { DEFAULT_LOG_CONFIG } from '../../engine/storage/log-config.js';
import { LogManager, RECOVERY_POINT_CHECKPOINT_FILE, CLEAN_SHUTDOWN_FILE } from '../../engine/storage/log-manager.js';
import { decodeRecordBatches, encodeRecordBatch, type RecordInput } from '../../engine/storage/record-batch.js';

const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;
const BATCH_SIZE = 16384;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function producerBatches(valueBytes: number, count: number): { batches: Uint8Array[]; recordsPerBatch: number; encodeSec: number } {
  const value = new Uint8Array(valueBytes).map((_, i) => 97 + (i % 26));
  // A producer fills a batch until the next record would pass batch.size (RecordAccumulator).
  const recordBytes = valueBytes + 8;
  const recordsPerBatch = Math.max(1, Math.floor((BATCH_SIZE - 61) / recordBytes));
  const start = performance.now();
  const batches: Uint8Array[] = [];
  for (let b = 0; b < count; b++) {
    const records: RecordInput[] = [];
    for (let i = 0; i < recordsPerBatch; i++) records.push({ key: null, value, timestampMs: 1_700_000_000_000 + b });
    batches.push(encodeRecordBatch({ records }));
  }
  return { batches, recordsPerBatch, encodeSec: (performance.now() - start) / 1000 };
}

function main(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-lab-bench-'));
  const disk = new NodeDisk();
  const configFor = () => DEFAULT_LOG_CONFIG;
  try {
    let nowMs = 1_700_000_000_000;
    const { manager } = LogManager.open({ disk, dataDir: root, brokerId: 0, nowMs, configFor });

    // 100-byte records.
    const small = producerBatches(100, 64);
    const smallLog = manager.getOrCreateLog('bench-100b', 0, nowMs);
    const smallBatchCount = 24_000;
    gc();
    let start = performance.now();
    for (let i = 0; i < smallBatchCount; i++) smallLog.appendAsLeader(small.batches[i & 63]!, 0, ++nowMs);
    const smallSec = (performance.now() - start) / 1000;
    const smallRecords = smallBatchCount * small.recordsPerBatch;
    const appendRecordsPerSec100B = smallRecords / smallSec;
    // Producer-side encoding, measured on enough batches for the JIT to settle.
    producerBatches(100, 500);
    const encoded = producerBatches(100, 2000);
    const encodeRecordsPerSec100B = (2000 * encoded.recordsPerBatch) / encoded.encodeSec;
    console.log(`append 100 B: ${smallRecords} records in ${smallSec.toFixed(2)} s = ${Math.round(appendRecordsPerSec100B)} records/s (${small.recordsPerBatch} per batch)`);

    // 1 KiB records, and raw writes of the same bytes in the same chunks.
    const large = producerBatches(1024, 64);
    const largeLog = manager.getOrCreateLog('bench-1kib', 0, nowMs);
    const largeBatchCount = 24_000;
    gc();
    start = performance.now();
    for (let i = 0; i < largeBatchCount; i++) largeLog.appendAsLeader(large.batches[i & 63]!, 0, ++nowMs);
    const largeSec = (performance.now() - start) / 1000;
    const largeBytes = largeLog.sizeInBytes;
    const appendMBPerSec1KiB = largeBytes / MIB / largeSec;
    const rawPath = path.join(root, 'raw-write.bin');
    const fd = fs.openSync(rawPath, 'w');
    gc();
    start = performance.now();
    let position = 0;
    for (let i = 0; i < largeBatchCount; i++) {
      const chunk = large.batches[i & 63]!;
      fs.writeSync(fd, chunk, 0, chunk.length, position);
      position += chunk.length;
    }
    const rawSec = (performance.now() - start) / 1000;
    fs.closeSync(fd);
    fs.rmSync(rawPath);
    const rawWriteMBPerSec = position / MIB / rawSec;
    console.log(`append 1 KiB: ${(largeBytes / MIB).toFixed(0)} MiB in ${largeSec.toFixed(2)} s = ${appendMBPerSec1KiB.toFixed(0)} MiB/s; raw writeSync ${rawWriteMBPerSec.toFixed(0)} MiB/s`);

    // Consumer-style scan of the 100 B log.
    gc();
    start = performance.now();
    let offset = 0;
    let scanned = 0;
    for (let i = 0; i < 1_000_000 && offset < smallLog.logEndOffset; i++) {
      const data = smallLog.read(offset, { maxBytes: MIB });
      for (const batch of decodeRecordBatches(data.records)) {
        for (const record of batch.records) if (record.offset >= offset) scanned++;
        offset = batch.lastOffset + 1;
      }
    }
    const scanSec = (performance.now() - start) / 1000;
    const scanRecordsPerSec = scanned / scanSec;
    console.log(`scan: ${scanned} records in ${scanSec.toFixed(2)} s = ${Math.round(scanRecordsPerSec)} records/s`);

    // Recovery: clean, then as after a crash with no recovery point.
    manager.shutdown(++nowMs);
    const recoveryBytes = smallLog.sizeInBytes + largeLog.sizeInBytes;
    gc();
    start = performance.now();
    const clean = LogManager.open({ disk, dataDir: root, brokerId: 0, nowMs, configFor });
    const cleanSec = (performance.now() - start) / 1000;
    clean.manager.shutdown(++nowMs);
    fs.rmSync(path.join(root, 'broker-0', RECOVERY_POINT_CHECKPOINT_FILE));
    fs.rmSync(path.join(root, 'broker-0', CLEAN_SHUTDOWN_FILE));
    gc();
    start = performance.now();
    const crashed = LogManager.open({ disk, dataDir: root, brokerId: 0, nowMs, configFor });
    const crashSec = (performance.now() - start) / 1000;
    const scannedBytes = crashed.report.partitions.reduce((sum, p) => sum + p.bytesScanned, 0);
    if (scannedBytes !== recoveryBytes) throw new Error(`crash recovery scanned ${scannedBytes} of ${recoveryBytes} bytes`);
    console.log(`recovery of ${(recoveryBytes / MIB).toFixed(0)} MiB: clean ${cleanSec.toFixed(3)} s, after crash ${crashSec.toFixed(3)} s`);

    const result = {
      appendRecordsPerSec100B: Math.round(appendRecordsPerSec100B),
      encodeRecordsPerSec100B: Math.round(encodeRecordsPerSec100B),
      appendMBPerSec1KiB: Number(appendMBPerSec1KiB.toFixed(1)),
      rawWriteMBPerSec: Number(rawWriteMBPerSec.toFixed(1)),
      appendToRawRatio1KiB: Number((appendMBPerSec1KiB / rawWriteMBPerSec).toFixed(3)),
      scanRecordsPerSec: Math.round(scanRecordsPerSec),
      recoverySecPerGiBClean: Number(((cleanSec * GIB) / recoveryBytes).toFixed(4)),
      recoverySecPerGiBCrash: Number(((crashSec * GIB) / recoveryBytes).toFixed(3)),
      recoveryBytesMeasured: recoveryBytes,
      recordsPerBatch100B: small.recordsPerBatch,
      recordsPerBatch1KiB: large.recordsPerBatch,
      batchSizeBytes: BATCH_SIZE,
      note: 'MB = MiB; recovery measured on recoveryBytesMeasured bytes and scaled to 1 GiB; page cache warm; no fsync per append (flush.messages default)',
    };
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
