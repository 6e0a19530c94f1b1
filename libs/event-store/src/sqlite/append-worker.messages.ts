import type { AppendRequest, WrittenAppend } from './append-batch-writer.js';

export interface AppendWorkerOptions {
  busyTimeoutMs: number;
  /** The file's page quota (`max_page_count`), a per-connection setting. */
  maxPageCount?: number;
  /** journal_size_limit, and the WAL size past which the writer has it start over (see append.worker.ts). */
  maxWalBytes: number;
}

export interface AppendWorkerData extends AppendWorkerOptions {
  filename: string;
}

export type AppendWorkerRequest = { type: 'write'; id: number; requests: readonly AppendRequest[]; recordedAt: string } | { type: 'stop' };

export type AppendWorkerReply =
  | { type: 'written'; id: number; outcomes: WrittenAppend[] }
  | { type: 'failed'; id: number; error: { message: string; code?: string; syscall?: string } }
  | { type: 'start-failed'; message: string };
