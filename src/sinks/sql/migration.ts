/**
 * Schema migrations, dialect-neutral. Each SQL dialect (sqlite-schema.ts now; PostgreSQL and
 * MySQL later) lists its migrations for the same logical versions: version N means the same
 * tables and columns everywhere, only the SQL spelling differs. The applied versions are rows of
 * `schema_version`, so a database says what it holds, and a newer database is never written by an
 * older OSPatrol that does not know its columns.
 */
export interface Migration {
  /** 1, 2, 3 ... without gaps. */
  version: number;
  /** One line, stored in schema_version. */
  description: string;
  /** Run in order, in one transaction where the dialect allows DDL in transactions. */
  statements: readonly string[];
}

/** The migrations still to run on a database at `current` (0 for a new one). Throws on a newer database or a broken list. */
export function pendingMigrations(all: readonly Migration[], current: number): Migration[] {
  all.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is broken: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = all.length;
  if (!Number.isInteger(current) || current < 0) throw new Error(`schema_version holds ${String(current)}, not a version number`);
  if (current > latest) {
    throw new Error(`database schema is version ${current}, newer than this OSPatrol knows (${latest}); upgrade OSPatrol or use another file`);
  }
  return all.slice(current);
}
