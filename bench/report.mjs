// Collects the JSON files the benchmarks wrote (one per program, BenchReport's shape), adds the
// machine they ran on, writes one JSON file and prints one table. Called by bench/run.
//   node bench/report.mjs OUT.json PASS_DIR...
// Each PASS_DIR holds one pass's files. With several passes (bench/run --full) each figure is
// the median of its passes, with their spread; a target is judged as it was in the pass whose
// figure is the median, and the file keeps every pass under `passes`. A benchmark that ran in
// one pass only (the load sweep) is taken as it is.
// Environment from bench/run: LIFELINE_QT_VERSION, LIFELINE_COMMIT, LIFELINE_BUILD_TYPE,
// LIFELINE_ELAPSED_S, LIFELINE_FAILED (benchmarks that exited with an error, space-separated).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [out, ...passDirs] = process.argv.slice(2);
if (!out || passDirs.length === 0) {
    console.error('usage: node bench/report.mjs OUT.json PASS_DIR...');
    process.exit(2);
}

const passes = passDirs.map(readPass);
const benches = passes.length === 1 ? passes[0] : medianOfPasses(passes);

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
    passCount: passes.length,
    benches,
    ...(passes.length > 1 ? { passes } : {}),
};
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

printTable(result);

// The benchmarks' files in dir, in the order bench/run ran them (it numbers them).
function readPass(dir) {
    const benches = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
        try {
            benches.push(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
        } catch (error) {
            console.error(`bench/report.mjs: ${file} in ${dir} is not valid JSON `
                + `(${error.message}); left out`);
        }
    }
    // A benchmark that failed before writing has no file; bench/run lists it as failed.
    return benches;
}

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
}

// One bench list whose figures are the passes' medians.
function medianOfPasses(passes) {
    const names = [...new Set(passes.flat().map((bench) => bench.bench))];
    return names.map((name) => {
        const runs = passes.map((pass) => pass.find((bench) => bench.bench === name))
            .filter(Boolean);
        if (runs.length === 1)
            return runs[0];
        const rows = runs[0].rows.map((first, index) => {
            // Rows may share a measure (one figure against several baselines): the nth of a
            // measure in one pass is the nth in the others.
            const nth = runs[0].rows.slice(0, index)
                .filter((row) => row.measure === first.measure).length;
            const same = runs.map((run) => run.rows.filter((row) => row.measure === first.measure)[nth])
                .filter(Boolean);
            const lifelines = same.map((row) => row.lifeline);
            // The pass whose figure is the median judges the target.
            const judge = same.find((row) => row.lifeline === median(lifelines));
            const row = { ...judge, lifeline: median(lifelines), lifelinePasses: lifelines };
            const baselines = same.map((row) => row.baseline).filter((b) => b !== undefined);
            if (baselines.length) {
                row.baseline = median(baselines);
                row.baselinePasses = baselines;
                if (row.baseline)
                    row.ratio = row.lifeline / row.baseline;
            }
            return row;
        });
        return { ...runs[0], rows, passCount: runs.length };
    });
}

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

// A median with its passes' range, "12.3 (11.9-14.0)"; a single figure as it is.
function formatSpread(value, passes) {
    if (!passes || passes.length < 2)
        return format(value);
    return `${format(value)} (${format(Math.min(...passes))}-${format(Math.max(...passes))})`;
}

function printTable({ machine, commit, elapsedSeconds, benches, failed, passCount }) {
    console.log(`\nLifeline benchmarks, commit ${commit}, ${elapsedSeconds} s`
        + (passCount > 1 ? `, median (range) of ${passCount} passes` : ''));
    console.log(`${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.os}, `
        + `Qt ${machine.qt}, Node.js ${machine.node}, ws ${machine.ws}\n`);
    const header = ['measure', 'unit', 'Lifeline', 'baseline', 'baseline is', 'ratio', 'target', 'met'];
    const rows = [];
    for (const bench of benches) {
        for (const row of bench.rows) {
            rows.push([
                `${bench.bench}: ${row.measure}`, row.unit,
                formatSpread(row.lifeline, row.lifelinePasses),
                formatSpread(row.baseline, row.baselinePasses), row.baselineName || '',
                format(row.ratio),
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
