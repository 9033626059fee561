import { createMachine } from 'xstate';
import { parseMachine } from '../../../../src/ui/app/machine-graph.js';
import { fakeServerMachine } from '../../../support/fake-machines.js';

describe('parseMachine', () => {
  const parsed = parseMachine(JSON.parse(JSON.stringify(fakeServerMachine.toJSON())));

  it('reads the state tree with paths, types, descriptions and initial states', () => {
    expect([...parsed.states.keys()]).toEqual([
      '',
      'stopped',
      'starting',
      'running',
      'stopping',
      'crashed',
      'crashed.backoff',
      'crashed.gaveUp',
    ]);
    expect(parsed.root.initial).toBe('stopped');
    expect(parsed.states.get('crashed')).toMatchObject({ type: 'compound', initial: 'crashed.backoff' });
    expect(parsed.states.get('stopping')?.description).toMatch(/SIGTERM/);
    expect(parsed.states.get('starting')?.invokes).toEqual(['spawn']);
  });

  it('reads transitions with readable labels, guards and delayed events', () => {
    const labels = parsed.transitions.map((t) => `${t.source} -${t.label}-> ${t.targets.join(',')}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        'stopped -server.start-> starting',
        'running -server.restart-> stopping',
        'stopping -process.exited [isRestarting]-> starting',
        'stopping -process.exited-> stopped',
        'crashed.backoff -after restartBackoff-> crashed.gaveUp',
      ]),
    );
  });

  it('labels numeric delays and invoked actor outcomes', () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: { after: { 30000: 'b' } },
        b: { invoke: { src: 'fetchModels', id: 'fetch', onDone: 'a', onError: 'c' } },
        c: { type: 'final' },
      },
    });
    const labels = parseMachine(JSON.parse(JSON.stringify(machine.toJSON()))).transitions.map((t) => t.label);
    expect(labels).toEqual(['after 30s', 'done: fetchModels', 'error: fetchModels']);
  });

  it('refuses something that is not a machine definition', () => {
    expect(() => parseMachine(null)).toThrow(/not an object/);
    expect(() => parseMachine({ id: 'x' })).toThrow(/no states/);
  });
});
