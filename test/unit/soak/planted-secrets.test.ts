import { createLeakScanner, plantedSecrets } from '../../soak/planted-secrets.mjs';

describe('soak planted secrets and the leak scanner', () => {
  const { apiKey, forms } = plantedSecrets(1234);
  const leaks = createLeakScanner(forms.map((f) => f.value));

  it('derives the same secrets from the same seed, a different set from another', () => {
    expect(plantedSecrets(1234).forms).toEqual(forms);
    expect(plantedSecrets(1235).apiKey).not.toBe(apiKey);
    expect(forms.map((f) => f.kind)).toContain('configured api_key');
  });

  it('finds any 8-character fragment of a secret, wherever it is in the text', () => {
    for (const form of forms) {
      const fragment = form.value.slice(3, 11);
      expect(leaks.scan(`a line with ${fragment} in it`)).toMatchObject({ fragment, index: 12 });
      expect(leaks.scan(`${form.value.slice(-8)}`)).toMatchObject({ fragment: form.value.slice(-8) });
    }
    expect(leaks.scan(`${forms[0]?.value.slice(0, 7)} short of a fragment`)).toBeNull();
    expect(leaks.scan('{"line":"ANTHROPIC_API_KEY=[REDACTED] c000001......"}')).toBeNull();
  });

  it('finds a fragment split across two chunks of a stream', () => {
    const value = forms[3]?.value as string;
    const scan = leaks.stream();
    expect(scan.push(`data: {"line": "key=${value.slice(0, 5)}`)).toBeNull();
    expect(scan.push(`${value.slice(5, 12)}"}\n\n`)).toMatchObject({ fragment: value.slice(0, 8) });
  });
});
