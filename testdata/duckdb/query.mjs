// query.mjs runs one SQL statement in an in-memory DuckDB and prints the
// result as JSON on stdout:
//
//   {"columns": [{"name": "n", "type": "BIGINT"}], "rows": [{"n": 3}]}
//
// Usage: node query.mjs "SELECT count(*) AS n FROM read_parquet('OUT/findings/**/*.parquet')"
//
// Type names are DuckDB's own (DuckDBType.toString()); the session time
// zone is UTC. Values are made
// JSON-safe: BigInts become numbers when they fit in a double without
// loss and decimal strings otherwise; timestamps, dates, decimals and other
// DuckDB value objects become their DuckDB text form.
import { DuckDBInstance } from '@duckdb/node-api';

function jsonSafe(v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v.toString();
    case 'number':
      // JSON has no NaN or Infinity; keep them readable as strings.
      return Number.isFinite(v) ? v : String(v);
    case 'string':
    case 'boolean':
      return v;
    default:
      if (Array.isArray(v)) return v.map(jsonSafe);
      return String(v);
  }
}

async function main() {
  const sql = process.argv[2];
  if (!sql) {
    process.stderr.write('usage: node query.mjs "<sql>"\n');
    process.exit(2);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    // Render TIMESTAMP WITH TIME ZONE values in UTC whatever the host's zone,
    // so that tests can compare them as text.
    await conn.run("SET TimeZone = 'UTC'");
    const reader = await conn.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const rows = reader.getRowObjects().map((row) => {
      const out = {};
      for (const name of names) out[name] = jsonSafe(row[name]);
      return out;
    });
    const columns = names.map((name, i) => ({ name, type: types[i] }));
    process.stdout.write(JSON.stringify({ columns, rows }) + '\n');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

main().catch((err) => {
  process.stderr.write(`query failed: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
