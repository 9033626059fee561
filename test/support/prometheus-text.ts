// A parser of the Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/),
// strict enough that a malformed line fails the test that reads it: HELP and TYPE comments, samples with optional
// labels (escaped values), float values including NaN and ±Inf, and an optional timestamp.

/** One sample line. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One metric family: its HELP, TYPE and samples. */
export interface PromFamily {
  name: string;
  help: string | null;
  type: string | null;
  samples: PromSample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses an exposition; throws naming the line for anything that is not the format. */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const family = (name: string): PromFamily => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, help: null, type: null, samples: [] }));
    return found;
  };
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  text.split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1} ${JSON.stringify(line)}: ${why}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const comment = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!comment) return; // other comments are allowed
      const [, kind, name, rest = ''] = comment as unknown as [string, string, string, string?];
      if (!metricName.test(name) || metricName.exec(name)?.[0] !== name) fail('bad metric name');
      if (kind === 'HELP') family(name).help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else if (!types.has(rest.trim())) fail(`unknown type ${rest}`);
      else family(name).type = rest.trim();
      return;
    }
    const name = metricName.exec(line)?.[0] ?? fail('no metric name');
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      rest = rest.slice(1);
      while (!rest.startsWith('}')) {
        const label = labelName.exec(rest)?.[0] ?? fail('bad label name');
        rest = rest.slice(label.length);
        if (!rest.startsWith('="')) fail('expected =" after a label name');
        rest = rest.slice(2);
        let value = '';
        for (;;) {
          const c = rest[0] ?? fail('unterminated label value');
          rest = rest.slice(1);
          if (c === '"') break;
          if (c === '\\') {
            const escaped = rest[0] ?? fail('dangling escape');
            rest = rest.slice(1);
            value += escaped === 'n' ? '\n' : escaped === '\\' || escaped === '"' ? escaped : fail(`bad escape \\${escaped}`);
          } else value += c;
        }
        labels[label] = value;
        if (rest.startsWith(',')) rest = rest.slice(1);
        else if (!rest.startsWith('}')) fail('expected , or } after a label');
      }
      rest = rest.slice(1);
    }
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) fail('expected a value and an optional timestamp');
    const raw = parts[0] as string;
    const value = raw === 'NaN' ? NaN : raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (raw === '' || (Number.isNaN(value) && raw !== 'NaN')) fail(`bad value ${raw}`);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) fail(`bad timestamp ${parts[1]}`);
    // A sample belongs to the family its name starts with (histograms' _bucket/_sum/_count), else its own.
    const owner = [...families.keys()].find((f) => name === f || (name.startsWith(`${f}_`) && families.get(f)?.type !== null && ['histogram', 'summary'].includes(families.get(f)?.type ?? ''))) ?? name;
    family(owner).samples.push({ name, labels, value });
  });
  return families;
}

/** The value of the one sample of `name` with exactly these labels; throws when there is none. */
export function sampleValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === want) return sample.value;
    }
  }
  throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
}
