// Collects the JSON files the benchmarks wrote (one per program, BenchReport's shape), adds the
// machine they ran on, writes one JSON file and prints one table. Called by bench/run.
//   node bench/report.mjs OUT.json PART.json...
// Environment from bench/run: LIFELINE_QT_VERSION, LIFELINE_COMMIT, LIFELINE_BUILD_TYPE,
// LIFELINE_ELAPSED_S, LIFELINE_FAILED (benchmarks that exited with an error, space-separated).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';

const [out, ...parts] = process.argv.slice(2);
if (!out) {
    console.error('usage: node bench/report.mjs OUT.json PART.json...');
    process.exit(2);
}

const benches = [];
for (const part of parts) {
    if (!existsSync(part))
        continue; // a benchmark that failed before writing; bench/run lists it as failed
    try {
        benches.push(JSON.parse(readFileSync(part, 'utf8')));
    } catch (error) {
        console.error(`bench/report.mjs: ${part} is not valid JSON (${error.message}); left out`);
    }
}

const cpus = os.cpus();
const machine = {
    cores: cpus.length,
    cpu: cpus.length ? cpus[0].model : 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    os: readOsName(),
    qt: process.env.LIFELINE_QT_VERSION || 'unknown',
    node: process.version,
    ws: readWsVersion(),
};
const failed = (process.env.LIFELINE_FAILED || '').split(' ').filter(Boolean);
const result = {
    date: new Date().toISOString(),
    commit: process.env.LIFELINE_COMMIT || 'unknown',
    buildType: process.env.LIFELINE_BUILD_TYPE || 'unknown',
    elapsedSeconds: Number(process.env.LIFELINE_ELAPSED_S || 0),
    machine,
    failed,
    benches,
};
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

printTable(result);

function readOsName() {
    try {
        const line = readFileSync('/etc/os-release', 'utf8').split('\n')
            .find((l) => l.startsWith('PRETTY_NAME='));
        return line ? line.slice('PRETTY_NAME='.length).replace(/"/g, '') : 'unknown';
    } catch {
        return 'unknown';
    }
}

function readWsVersion() {
    const file = new URL('./peer/node_modules/ws/package.json', import.meta.url);
    try {
        return JSON.parse(readFileSync(file, 'utf8')).version;
    } catch {
        return 'not installed';
    }
}

function format(value) {
    if (value === undefined || value === null)
        return '';
    if (Math.abs(value) >= 1000)
        return Math.round(value).toLocaleString('en-US');
    if (Math.abs(value) >= 10)
        return value.toFixed(1);
    return value.toFixed(3).replace(/\.?0+$/, '') || '0';
}

function printTable({ machine, commit, elapsedSeconds, benches, failed }) {
    console.log(`\nLifeline benchmarks, commit ${commit}, ${elapsedSeconds} s`);
    console.log(`${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}, `
        + `Qt ${machine.qt}, Node.js ${machine.node}, ws ${machine.ws}\n`);
    const header = ['measure', 'unit', 'Lifeline', 'baseline', 'baseline is', 'ratio', 'target', 'met'];
    const rows = [];
    for (const bench of benches) {
        for (const row of bench.rows) {
            rows.push([
                `${bench.bench}: ${row.measure}`, row.unit, format(row.lifeline),
                format(row.baseline), row.baselineName || '', format(row.ratio),
                row.target || '', row.met === undefined ? '' : (row.met ? 'yes' : 'NO'),
            ]);
        }
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    console.log(line(header));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const row of rows)
        console.log(line(row));
    const missed = rows.filter((r) => r[7] === 'NO').length;
    console.log(`\n${rows.length} figures, ${missed} targets missed`
        + (failed.length ? `; failed to run: ${failed.join(', ')}` : ''));
}
