import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvRows } from '../../../server/admin/csv.ts';

describe('CSV cells', () => {
  it('quotes a cell with a comma, a quote or a line break, doubling its quotes', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a, b'), '"a, b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  });

  it('defuses every text a spreadsheet would run as a formula with a leading apostrophe', () => {
    assert.deepEqual(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\r=1'].map(csvCell), ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", '"\'\r=1"']);
    assert.equal(csvCell('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    assert.equal(csvCell('a=b'), 'a=b');
  });

  it('writes numbers we computed as numbers, negative ones included, and null as empty', () => {
    assert.deepEqual([csvCell(-5), csvCell(0), csvCell(1250), csvCell(null), csvCell(true)], ['-5', '0', '1250', '', 'true']);
  });

  it('ends every row, the last included, with CRLF', () => {
    assert.equal(csvRows([['a', 'b'], [1, null]]), 'a,b\r\n1,\r\n');
  });
});
