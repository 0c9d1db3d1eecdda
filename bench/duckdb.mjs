// duckdb.mjs: the Chengwu scheme in DuckDB's SQL, over the same CSV files as
// `rubric score`: the DuckDB row of bench/run.sh (issue 12, item 6).
//
//   node bench/duckdb.mjs ENTITIES PERIODS OUT
//
// Runs DuckDB in process through its npm package (@duckdb/node-api, pinned in
// bench/package.json; installed by `npm ci --prefix bench`, which
// tools/setup.sh runs when npm is there). An in-memory database with DuckDB's
// defaults (a thread per core):
//
//   load   read_csv of both tables with every column's type given (no
//          sniffing): counts and money as DOUBLE with thousands=',' (so
//          "282,116" is 282116; exponents and spaces around a number are
//          DuckDB's own), the fractions as VARCHAR turned into doubles in SQL
//          (a trailing % divides by 100, as bench_cell.c does), the yes/no
//          cells as VARCHAR mapped to 1 or 0 (1 yes true 是 / 0 no false 否, any
//          letter case, as bench_cell.c); ids trimmed; then the checks of the
//          baseline: no empty input cell (the scheme has no `missing` rule, so
//          an empty cell is an error, spec/data.md), no repeated id;
//   score  the months summed per county (GROUP BY id) and joined to the
//          counties, and the 16 indicators and the total computed in doubles,
//          one expression per line of bench/reference.c; then the checks: every
//          county has its 12 months once each, every period row's id is a
//          county, every county scores (population under a million);
//   write  COPY of id,total,<16 indicators> (reference_indicator_ids' order,
//          the baseline's columns) to a temporary file renamed to OUT. DuckDB
//          writes each double as its shortest round-trip form, so
//          rubric-bench-compare reads back the very doubles computed.
//
// Reports on standard error, as rubric-bench-c does:
//
//   rubric-bench-duckdb: N rows; load X s, score Y s, write Z s, total T s
//
// and stops (exit 1) at the first problem, with DuckDB's message or its own.
import { DuckDBInstance } from '@duckdb/node-api';
import { renameSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const me = 'rubric-bench-duckdb';
function fail(message) {
  process.stderr.write(`${me}: ${message}\n`);
  process.exit(1);
}
if (process.argv.length !== 5) {
  process.stderr.write(`usage: node duckdb.mjs ENTITIES PERIODS OUT\n` +
                       `scores the Chengwu scheme in DuckDB's SQL, in doubles, over rubric's input tables\n`);
  process.exit(2);
}
const [entitiesPath, periodsPath, outPath] = process.argv.slice(2);
const literal = (s) => `'${s.replaceAll("'", "''")}'`;

// The columns of the tables (bench/gen_chengwu.c writes them; rubric and the
// baseline find them by name, DuckDB here by position, so the header is checked).
const counts = ['population', 'gov_defaulters', 'serious_dishonest', 'market_entities', 'platform_records',
                'records_social_security', 'records_tax', 'records_housing_fund', 'records_water',
                'records_electricity', 'records_gas', 'records_logistics', 'records_ip', 'credit_checks',
                'benefit_domains', 'xyd_registered', 'operating_firms', 'xyd_credit_yuan', 'supervision_domains',
                'commitments'];
const systems = ['sys_institutions', 'sys_organisation', 'sys_staffing', 'sys_funding'];
const yesnos = ['fin_progress', 'zx_mechanism', 'zx_cleanup', 'zx_crackdown', 'no_major_risk'];
const entityColumns = [['id', 'VARCHAR'], ['name', 'VARCHAR'], ...counts.map((c) => [c, 'DOUBLE']),
                       ...systems.map((c) => [c, 'DOUBLE']), ['innovations', 'DOUBLE'],
                       ...yesnos.map((c) => [c, 'VARCHAR']), ['remark', 'VARCHAR']];
const fractions = ['usc_error_rate', 'pub_compliance', 'pub_timeliness'];
const periodColumns = [['id', 'VARCHAR'], ['month', 'INTEGER'], ['city_rank', 'DOUBLE'],
                       ...fractions.map((c) => [c, 'VARCHAR'])];
const entityInputs = [...counts, ...systems, 'innovations', ...yesnos];
const periodInputs = ['month', 'city_rank', ...fractions];

// The 16 indicators, in reference_indicator_ids' order (the baseline's columns).
const indicators = ['city_rank', 'gov_dishonest', 'blacklist', 'usc_code', 'double_publicity', 'info_collection',
                    'special_info', 'credit_check_use', 'benefit_apps', 'xyd_registered', 'xyd_loans',
                    'tiered_supervision', 'commitments', 'system_building', 'innovation', 'finance_risk'];

function readCsv(path, columns) {
  const types = columns.map(([name, type]) => `${literal(name)}: ${literal(type)}`).join(', ');
  return `read_csv(${literal(path)}, header = true, delim = ',', quote = '"', escape = '"', thousands = ',',
                   auto_detect = false, columns = {${types}})`;
}

// Every number is a DOUBLE: DuckDB reads a literal such as 0.2 as a DECIMAL,
// so each constant is cast, and the arithmetic is the baseline's.
const d = (x) => `CAST(${x} AS DOUBLE)`;
const yesno = (c) => `CASE lower(trim(${c})) WHEN '1' THEN 1 WHEN 'yes' THEN 1 WHEN 'true' THEN 1 WHEN '是' THEN 1 ` +
                     `WHEN '0' THEN 0 WHEN 'no' THEN 0 WHEN 'false' THEN 0 WHEN '否' THEN 0 END`;
const fraction = (c) => `CASE WHEN suffix(trim(${c}), '%') THEN CAST(rtrim(trim(${c}), '%') AS DOUBLE) / 100 ` +
                        `ELSE CAST(trim(${c}) AS DOUBLE) END`;
// reference.c's held(v, hi): v < 0 ? 0 : v > hi ? hi : v
const held = (v, hi) => `(CASE WHEN (${v}) < 0 THEN ${d(0)} WHEN (${v}) > ${hi} THEN ${hi} ELSE (${v}) END)`;

const loadSql = [
  `CREATE TABLE entities AS SELECT trim(id) AS id, ${counts.join(', ')}, ${systems.join(', ')}, innovations,
     ${yesnos.map((c) => `${d(yesno(c))} AS ${c}`).join(', ')}
   FROM ${readCsv(entitiesPath, entityColumns)}`,
  `CREATE TABLE periods AS SELECT trim(id) AS id, month, city_rank,
     ${fractions.map((c) => `${fraction(c)} AS ${c}`).join(', ')}
   FROM ${readCsv(periodsPath, periodColumns)}`,
];

// One line per line of reference.c's score_row; e.* a county's inputs, m.*
// its months' sums.
const scoreSql = [
  `CREATE TABLE months AS SELECT id,
     sum(city_rank) AS rank_sum,
     sum(CASE WHEN usc_error_rate = 0 THEN ${d(0.2)} ELSE ${d(-0.2)} END) AS usc,
     sum((CASE WHEN pub_compliance >= 1 THEN ${d(0.2)} ELSE ${d(-0.2)} END) +
         (CASE WHEN pub_timeliness >= 1 THEN ${d(0.2)} ELSE ${d(-0.2)} END)) AS pub,
     count(*) AS n_months, bit_or(CAST(1 AS INTEGER) << (month - 1)) AS mask, min(month) AS lo, max(month) AS hi
   FROM periods GROUP BY id`,
  `CREATE TABLE scores AS
   WITH parts AS (
     SELECT e.id,
       m.rank_sum / 12 AS rank,
       e.serious_dishonest / e.market_entities AS share,
       e.platform_records AS rec,
       e.xyd_registered / e.operating_firms AS reg,
       e.xyd_credit_yuan AS a,
       e.commitments / e.operating_firms AS c,
       m.usc, m.pub, m.n_months, m.mask, e.* EXCLUDE (id)
     FROM entities e LEFT JOIN months m ON e.id = m.id),
   s AS (
     SELECT id, n_months, mask,
       CASE WHEN rank <= 10 THEN ${d(20)} WHEN rank > 100 THEN ${d(0)} ELSE 20 - 2 * ceil((rank - 10) / 10) END AS s0,
       ${held(`10 - gov_defaulters`, d(10))} AS s1,
       CASE WHEN share < ${d(0.003)} THEN ${d(4)} WHEN share > ${d(0.005)} THEN ${d(0)}
            ELSE 4 * (${d(0.005)} - share) / ${d(0.002)} END AS s2,
       ${held('usc', d(2.4))} AS s3,
       ${held('pub', d(4.8))} AS s4,
       CASE WHEN population >= ${d(1e6)} THEN NULL WHEN rec > ${d(7e7)} THEN ${d(10)}
            WHEN rec > ${d(4e7)} THEN ${d(5)} ELSE ${d(0)} END AS s5,
       ${held(`${d(0.5)} * (${counts.slice(5, 13).map((c) => `CAST(${c} >= ${d(2e5)} AS INTEGER)`).join(' + ')})`, d(4))} AS s6,
       CASE WHEN credit_checks / market_entities > 1 THEN ${d(4)} ELSE ${d(0)} END AS s7,
       ${held(`4 - ${d(0.2)} * greatest(${d(0)}, 20 - benefit_domains)`, d(4))} AS s8,
       CASE WHEN reg > ${d(0.03)} THEN ${d(6)} WHEN reg < ${d(0.01)} THEN ${d(0)}
            ELSE 6 * (reg - ${d(0.01)}) / ${d(0.02)} END AS s9,
       CASE WHEN a >= ${d(1e9)} THEN ${d(6)} WHEN a < ${d(3e8)} THEN ${d(0)} ELSE 6 * (a - ${d(3e8)}) / ${d(7e8)} END AS s10,
       ${held(`4 - ${d(0.2)} * greatest(${d(0)}, 20 - supervision_domains)`, d(4))} AS s11,
       CASE WHEN c >= ${d(0.8)} THEN ${d(6)} WHEN c < ${d(0.5)} THEN ${d(0)} ELSE 6 * (c - ${d(0.5)}) / ${d(0.3)} END AS s12,
       ${systems.map((c) => held(c, d(0.7))).join(' + ')} AS s13,
       least(innovations, ${d(2)}) AS s14,
       4 * fin_progress + zx_mechanism + zx_cleanup + zx_crackdown + 3 * no_major_risk AS s15
     FROM parts)
   SELECT id, n_months, mask, ${indicators.map((_, k) => `s${k}`).join(' + ')} AS total,
     ${indicators.map((name, k) => `s${k} AS ${name}`).join(', ')}
   FROM s`,
];

// What the baseline checks as it loads: the first offence found, or nothing.
const loadChecks = [
  [`SELECT id FROM entities WHERE id IS NULL OR id = '' OR ${entityInputs.map((c) => `${c} IS NULL`).join(' OR ')} LIMIT 1`,
   (id) => `${entitiesPath}: entity '${id}': an empty cell (or a yes/no cell that is no yes/no), and the scheme gives no default`],
  [`SELECT id FROM periods WHERE id IS NULL OR id = '' OR ${periodInputs.map((c) => `${c} IS NULL`).join(' OR ')} LIMIT 1`,
   (id) => `${periodsPath}: entity '${id}': an empty cell, and the scheme gives no default`],
  [`SELECT id FROM entities GROUP BY id HAVING count(*) > 1 LIMIT 1`, (id) => `${entitiesPath}: duplicate id '${id}'`],
];
const scoreChecks = [
  [`SELECT id FROM months WHERE lo < 1 OR hi > 12 LIMIT 1`,
   (id) => `${periodsPath}: entity '${id}': a month that is not from 1 to 12`],
  [`SELECT id FROM scores WHERE n_months IS DISTINCT FROM 12 OR mask IS DISTINCT FROM 4095 LIMIT 1`,
   (id) => `${periodsPath}: entity '${id}' has not one row for each of the 12 months`],
  [`SELECT id FROM months ANTI JOIN entities USING (id) LIMIT 1`,
   (id) => `${periodsPath}: id '${id}' has no row in the entities table`],
  [`SELECT id FROM scores WHERE total IS NULL OR NOT isfinite(total) LIMIT 1`,
   (id) => `${entitiesPath}: entity '${id}' could not be scored (a population of a million or more, or a zero denominator)`],
];

let instance, connection;
async function run(sql) {
  try {
    return await connection.run(sql);
  } catch (e) {
    fail(e.message);
  }
}
async function check([sql, message]) {
  const reader = await connection.runAndReadAll(sql).catch((e) => fail(e.message));
  const rows = reader.getRows();
  if (rows.length) fail(message(rows[0][0]));
}

try {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
} catch (e) {
  fail(`cannot start DuckDB: ${e.message}`);
}
const headers = [[entitiesPath, entityColumns], [periodsPath, periodColumns]];
for (const [path, columns] of headers) { // the header must name the columns in this order
  const reader = await connection.runAndReadAll(
    `SELECT * FROM read_csv(${literal(path)}, header = false, all_varchar = true, delim = ',', quote = '"', ` +
    `escape = '"', auto_detect = false, columns = {${columns.map(([n]) => `${literal(n)}: 'VARCHAR'`).join(', ')}}) ` +
    `LIMIT 1`).catch((e) => fail(e.message));
  const got = reader.getRows()[0]?.map((h) => String(h).replace(/^\uFEFF/, '').trim()) ?? [];
  const want = columns.map(([n]) => n);
  if (got.join(',') !== want.join(',')) fail(`${path}:1: the header is not ${want.join(',')}`);
}
for (const sql of loadSql) await run(sql);
for (const c of loadChecks) await check(c);
const t1 = performance.now();
for (const sql of scoreSql) await run(sql);
for (const c of scoreChecks) await check(c);
const t2 = performance.now();
const n = Number((await connection.runAndReadAll('SELECT count(*) FROM scores')).getRows()[0][0]);
const tmp = `${outPath}.tmp${process.pid}`;
try {
  await connection.run(`COPY (SELECT id, total, ${indicators.join(', ')} FROM scores) TO ${literal(tmp)}
                        (FORMAT csv, HEADER true, DELIMITER ',')`);
  renameSync(tmp, outPath);
} catch (e) {
  rmSync(tmp, { force: true });
  fail(`${outPath}: write failed: ${e.message}`);
}
const t3 = performance.now();
connection.closeSync();
instance.closeSync();
const s = (a, b) => ((b - a) / 1000).toFixed(3);
process.stderr.write(`${me}: ${n} rows; load ${s(t0, t1)} s, score ${((t2 - t1) / 1000).toFixed(6)} s, ` +
                     `write ${s(t2, t3)} s, total ${s(t0, t3)} s\n`);
