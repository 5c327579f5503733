/**
 * The history store: one SQLite database per cache folder, `<cache>/history.sqlite`, with one
 * row per pipeline invocation (the record's JSON, schema in `history_record.ts`).
 *
 * Why SQLite (`node:sqlite`, built into Deno 2.2+) rather than a JSON Lines file: each write is
 * one transaction, so two pipelines appending at once are serialized by SQLite's file lock
 * (`busy_timeout` makes the second wait) and a process killed mid-write leaves the previous
 * state, never half a line; a record is written at the start and updated at the end, which an
 * append-only file cannot do without a second record per invocation. The default rollback
 * journal (not WAL) is used, as WAL needs shared memory that network file systems lack.
 * @module
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { invocationRecordSchema } from "./history_record.ts";
import type { InvocationRecord, NewInvocation } from "./history_record.ts";

/** The database's file name in the cache folder. */
export const HISTORY_FILE = "history.sqlite";

/** Bumped when the table layout changes. */
const SCHEMA_VERSION = 1;

/** How long a writer waits for another process's transaction (ms). */
const BUSY_TIMEOUT_MS = 30_000;

/** An open history database. */
export interface HistoryStore {
  /** The database file. */
  path: string;
  /** Adds a record. @returns its id (increasing). */
  append(record: NewInvocation): number;
  /** Replaces the record with this id (an invocation that finished). */
  update(id: number, record: NewInvocation): void;
  /**
   * Every record, newest first.
   * @throws Error naming the record that does not match the schema (a damaged database).
   */
  list(): InvocationRecord[];
  close(): void;
}

/** The history database of a cache folder. */
export function historyPath(cacheRoot: string): string {
  return join(cacheRoot, HISTORY_FILE);
}

/**
 * Opens (and with `create`, creates) the history database of a cache folder.
 * @returns undefined when it does not exist and `create` is false.
 * @throws Error `Cannot open the history at <path>: <cause>` (not a database, unwritable).
 */
export function openHistory(
  cacheRoot: string,
  options: { create?: boolean } = {},
): HistoryStore | undefined {
  const path = historyPath(cacheRoot);
  let exists = true;
  try {
    statSync(path);
  } catch {
    exists = false;
  }
  if (!exists && !options.create) return undefined;
  let db: DatabaseSync;
  try {
    if (!exists) mkdirSync(cacheRoot, { recursive: true });
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = (db.prepare("PRAGMA user_version").get() as { user_version: number })
      .user_version;
    if (version === 0) {
      db.exec(`BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS invocations (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          started TEXT NOT NULL,
          record TEXT NOT NULL
        );
        PRAGMA user_version = ${SCHEMA_VERSION};
        COMMIT;`);
    } else if (version !== SCHEMA_VERSION) {
      db.close();
      throw new Error(
        `its layout is version ${version} and this cnnlab reads version ${SCHEMA_VERSION}`,
      );
    }
  } catch (error) {
    throw new Error(`Cannot open the history at ${path}: ${(error as Error).message}`);
  }
  const insert = db.prepare("INSERT INTO invocations (started, record) VALUES (?, ?)");
  const replace = db.prepare("UPDATE invocations SET record = ? WHERE id = ?");
  const select = db.prepare("SELECT id, record FROM invocations ORDER BY id DESC");
  return {
    path,
    append(record) {
      return Number(insert.run(record.started, JSON.stringify(record)).lastInsertRowid);
    },
    update(id, record) {
      replace.run(JSON.stringify(record), id);
    },
    list() {
      return (select.all() as { id: number; record: string }[]).map(({ id, record }) => {
        let value: unknown;
        try {
          value = JSON.parse(record);
        } catch {
          throw new Error(`Cannot read record ${id} of the history at ${path}: it is not JSON`);
        }
        const parsed = invocationRecordSchema.safeParse({ ...(value as object), id });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(
            `Cannot read record ${id} of the history at ${path}: ${
              issue.path.join(".") || "(root)"
            } ${issue.message}`,
          );
        }
        return parsed.data;
      });
    },
    close() {
      db.close();
    },
  };
}
