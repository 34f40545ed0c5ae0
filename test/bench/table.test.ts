/** The bench's medians, gaps and table: no timing is measured or asserted here. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettings } from '../../bench/run.ts';
import { formatCount, gapText, median, renderTable, type Row } from '../../bench/lib/table.ts';

describe('bench arithmetic', () => {
  it('takes the median of odd and even counts, ignoring what was not measured', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5, Number.NaN]), 5);
    assert.ok(Number.isNaN(median([])));
  });

  it('states the gap to a target as a factor, or met', () => {
    assert.equal(gapText({ value: 0.07, target: { op: '>=', value: 0.35 } }), '5.0x short');
    assert.equal(gapText({ value: 0.4, target: { op: '>=', value: 0.35 } }), 'met');
    assert.equal(gapText({ value: 66, target: { op: '<', value: 10 } }), '6.6x over');
    assert.equal(gapText({ value: 9, target: { op: '<', value: 10 } }), 'met');
    assert.equal(gapText({ value: Number.NaN, target: { op: '<', value: 10 } }), 'not measured');
    assert.equal(gapText({ value: 1, target: null }), '');
    assert.equal(formatCount(22_800), '22.8k');
  });

  it('renders every row with its value, target and gap', () => {
    const rows: Row[] = [
      { measure: 'GET cart (SQLite): req/s / ceiling', unit: 'ratio', value: 0.07, samples: [0.07], target: { op: '>=', value: 0.35 }, note: '(1.6k req/s)' },
      { measure: 'cold start', unit: 'ms', value: 1300, samples: [1300], target: { op: '<', value: 500 } },
    ];
    const lines = renderTable(rows).split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /measure .*\| value \(median\) .*\| target .*\| gap/);
    assert.match(lines[2]!, /0\.07 \(1\.6k req\/s\) .*\| >= 0\.35 .*\| 5\.0x short/);
    assert.match(lines[3]!, /1300 ms .*\| < 500 ms .*\| 2\.6x over/);
  });

  it('reads --quick, --runs and the environment', () => {
    const quick = parseSettings(['--quick'], {});
    assert.equal(quick.quick, true);
    assert.ok(quick.runs >= 1 && quick.durationS < parseSettings([], {}).durationS);
    assert.equal(parseSettings(['--runs=5', '--duration=1.5'], {}).runs, 5);
    assert.equal(parseSettings([], { BENCH_RUNS: '4' }).runs, 4);
    assert.deepEqual(parseSettings(['--stores=redis'], {}).stores, ['redis']);
    assert.throws(() => parseSettings(['--runs=0'], {}), /positive/);
  });

  it('reads --only=cold-start and the number of cold starts', () => {
    assert.equal(parseSettings([], {}).only, undefined);
    const only = parseSettings(['--only=cold-start', '--cold-starts=9'], {});
    assert.equal(only.only, 'cold-start');
    assert.equal(only.coldStarts, 9);
    assert.equal(parseSettings([], { BENCH_COLD_STARTS: '3' }).coldStarts, 3);
    assert.throws(() => parseSettings(['--only=ceiling'], {}), /--only takes cold-start/);
  });
});
