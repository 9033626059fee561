import { redactLine } from '../../../src/redact/redact-line.js';
import { cellText, checkCells, floodLine, parseHeader } from '../../soak/flood-lines.mjs';
import { createLeakScanner, plantedSecrets } from '../../soak/planted-secrets.mjs';
import { createPrng } from '../../soak/prng.mjs';

const { apiKey, forms } = plantedSecrets(42);

describe('soak flood lines', () => {
  it('survive the real redactor with every cell intact and no fragment of a secret left', () => {
    const prng = createPrng(7);
    const leaks = createLeakScanner(forms.map((f) => f.value));
    for (let k = 0; k < 50; k += 1) {
      const cells = prng.int(1, 2_000);
      const raw = floodLine({ writer: '123xabc', k, cells, secrets: forms, prng, secretEvery: 5 });
      expect(leaks.scan(raw)).not.toBeNull();
      const redacted = redactLine(raw, [apiKey]);
      expect(parseHeader(redacted)).toEqual({ writer: '123xabc', k, cells });
      expect(redacted.endsWith(` END 123xabc:${k}`)).toBe(true);
      expect(checkCells(redacted, cells)).toEqual({ ok: true, missing: [], repeated: [] });
      expect(leaks.scan(redacted)).toBeNull();
    }
  });

  it('say which cells are missing or repeated when a line arrives cut or doubled', () => {
    const line = floodLine({ writer: '9xq', k: 0, cells: 300, secrets: [], prng: createPrng(8), secretEvery: 0 });
    const at = (cell: number) => line.indexOf(cellText(cell));
    const cut = line.slice(0, at(100)) + line.slice(at(120));
    expect(checkCells(cut, 300)).toEqual({ ok: false, missing: [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119], repeated: [] });
    const doubled = line.slice(0, at(50)) + line.slice(at(40));
    expect(checkCells(doubled, 300)).toMatchObject({ ok: false, missing: [] });
    expect(checkCells(doubled, 300).repeated.slice(0, 3)).toEqual([40, 41, 42]);
    expect(checkCells(line.slice(0, at(299)), 300)).toEqual({ ok: false, missing: [299], repeated: [] });
  });
});
