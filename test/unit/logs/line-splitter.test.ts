import { LineSplitter } from '../../../src/logs/line-splitter.js';

describe('LineSplitter', () => {
  it('emits complete lines with the offset after each and holds an unfinished one across chunks', () => {
    const s = new LineSplitter(100);
    expect(s.push(Buffer.from('ab\ncd'))).toEqual([{ text: 'ab', end: 103, ending: 'newline' }]);
    expect(s.hasPartial).toBe(true);
    expect(s.lineStart).toBe(103);
    expect(s.push(Buffer.from('e\r\n\nf'))).toEqual([
      { text: 'cde', end: 108, ending: 'newline' },
      { text: '', end: 109, ending: 'newline' },
    ]);
    expect(s.flush()).toEqual([{ text: 'f', end: 110, ending: 'unfinished' }]);
    expect(s.position).toBe(110);
  });

  it('never splits a UTF-8 character, even when a chunk ends inside one', () => {
    const bytes = Buffer.from('héllo → wörld\n');
    const s = new LineSplitter(0);
    const lines = [...bytes].flatMap((b) => s.push(Buffer.from([b])));
    expect(lines).toEqual([{ text: 'héllo → wörld', end: bytes.length, ending: 'newline' }]);
  });

  it('cuts an endless line into bounded pieces at character boundaries, offsets still exact', () => {
    const s = new LineSplitter(0, 10);
    const lines = s.push(Buffer.from('ééééééé' + 'abc\n')); // 14 bytes of é, then 4
    expect(lines.map((l) => l.text)).toEqual(['ééééé', 'ééabc']);
    expect(lines.map((l) => l.end)).toEqual([10, 18]);
    expect(lines.map((l) => l.ending)).toEqual(['cut', 'newline']);
  });

  it('forgets an unfinished line on reset and continues at the new offset', () => {
    const s = new LineSplitter(0);
    s.push(Buffer.from('partial'));
    s.reset(500);
    expect(s.push(Buffer.from('x\n'))).toEqual([{ text: 'x', end: 502, ending: 'newline' }]);
  });
});
