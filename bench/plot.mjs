// Draws the load sweep of bench_fanout --part sweep as curves, with gnuplot (Debian gnuplot-nox):
// fan-out latency and the server's CPU against the offered deliveries a second, one line per
// server. Called by bench/run --full; reads the run's JSON (bench/report.mjs's shape, or the
// sweep's own file) and writes an SVG.
//   node bench/plot.mjs RESULTS.json OUT.svg
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [input, out] = process.argv.slice(2);
if (!input || !out) {
    console.error('usage: node bench/plot.mjs RESULTS.json OUT.svg');
    process.exit(2);
}

const json = JSON.parse(readFileSync(input, 'utf8'));
// A whole run keeps its benchmarks in `benches` (with --full, one list per pass in `passes`);
// the sweep's own file is one of them.
const benches = json.benches ?? [json];
const sweep = benches.find((bench) => bench.bench === 'sweep');
if (!sweep) {
    console.error(`bench/plot.mjs: ${input} holds no load sweep (bench_fanout --part sweep)`);
    process.exit(2);
}

// In the order of the legend; each with its colour and point type.
const servers = [
    { key: 'sweepLifeline', colour: '#1b6ac9', point: 7 },
    { key: 'sweepNodePeer', colour: '#d9822b', point: 5 },
    { key: 'sweepGoPeer', colour: '#2e9e44', point: 9 },
    { key: 'sweepGoPeerUnpinned', colour: '#8c8c8c', point: 11 },
].filter((server) => sweep.details[server.key]?.steps?.length);

// One data block per server: offered deliveries a second (thousands), p50, p99, the server's
// and the load generator's CPU (% of a core).
let script = '';
for (const [index, server] of servers.entries()) {
    script += `$s${index} << EOD\n`;
    for (const step of sweep.details[server.key].steps) {
        script += [step.offeredDeliveriesPerSecond / 1000, step.p50Ms, step.p99Ms,
            step.serverCpuCores * 100, step.generatorCpuCores * 100].join(' ') + '\n';
    }
    script += 'EOD\n';
}

const settings = sweep.details.settings;
const title = `Fan-out at ${settings.clients.toLocaleString('en')} clients, ` +
    `${settings.senders} senders; each server on one core, the load generator on another`;
const label = (server) => sweep.details[server.key].label.replace(/_/g, '\\_');
const lines = (column, dash) => servers.map((server, index) =>
    `$s${index} using 1:${column} with linespoints dt ${dash} pt ${server.point} ps 0.8 ` +
    `lw 2 lc rgb '${server.colour}' ` +
    (dash === 1 ? `title '${label(server)}'` : 'notitle')).join(', ');

script += `
set terminal svg size 1100,460 dynamic enhanced font 'sans,12' background '#ffffff'
set output '${out}'
set multiplot layout 1,2 title '${title}'
set logscale x
set xlabel 'offered deliveries a second, thousands (messages a second x recipients)'
set grid xtics ytics mxtics lc rgb '#dddddd'
set key top left box opaque
set logscale y
set ylabel 'latency, ms: p99 solid, p50 dashed'
set title 'Latency; sustained while p99 stays under 50 ms'
set arrow from graph 0, first 50 to graph 1, first 50 nohead dt 3 lc rgb '#c0392b'
plot ${lines(3, 1)}, ${lines(2, 2)}
unset arrow
unset logscale y
set yrange [0:*]
set ylabel 'CPU, % of a core: server solid, load generator dashed'
set title "Who had the CPU"
set key bottom right
plot ${lines(4, 1)}, ${lines(5, 2)}
unset multiplot
`;

const gnuplot = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
if (gnuplot.error || gnuplot.status !== 0) {
    console.error(`bench/plot.mjs: gnuplot failed: ${gnuplot.error?.message ?? gnuplot.stderr}`);
    process.exit(1);
}
console.log(`drawn: ${out}`);
