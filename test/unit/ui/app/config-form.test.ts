import { changedValues, describeKeys, draftProblems, editableValues } from '../../../../src/ui/app/config-form.view.js';
import { createSettingsStore } from '../../../../src/ui/app/settings.store.js';
import { uiStatus } from '../../../support/ui-fixtures.js';

const file = { port: 3333, api_key: '[REDACTED]', log_level: 'info', debug: false, max_message_length: 4000, log_format: 7 };

describe('the settings form', () => {
  it('reads the editable keys of the file, a value of the wrong type as not set', () => {
    expect(editableValues(file)).toEqual({ log_level: 'info', debug: false, max_message_length: 4000 });
  });

  it('sends only what changed, counts as numbers', () => {
    const saved = editableValues(file);
    expect(changedValues(saved, { log_level: 'info', debug: true, max_message_length: '8000', log_format: 'json' })).toEqual({
      debug: true,
      max_message_length: 8000,
      log_format: 'json',
    });
    expect(changedValues(saved, { max_message_length: '4000' })).toEqual({});
  });

  it('says what is wrong with a count that is not a whole number above 0, and sends none of it', () => {
    for (const bad of ['0', '-3', '1.5', 'abc', '']) {
      expect(draftProblems({ max_message_length: bad })).toEqual({ max_message_length: 'Enter a whole number above 0.' });
      expect(changedValues({}, { max_message_length: bad })).toEqual({});
    }
    expect(draftProblems({ max_message_length: '12' })).toEqual({});
  });

  it('names keys as the form labels them', () => {
    expect(describeKeys(['log_level', 'transcription_enabled', 'other'])).toBe('log level, transcription, other');
  });
});

describe('the settings form in the store', () => {
  function store() {
    const s = createSettingsStore();
    s.trigger.eventsOpened();
    s.trigger.statusLoaded({ status: uiStatus(), at: 0 });
    s.trigger.configLoaded({ config: file });
    return s;
  }

  it('keeps edits apart from the file, and an edit back to the file’s value is no edit', () => {
    const s = store();
    s.trigger.draftEdited({ key: 'log_level', value: 'debug' });
    s.trigger.draftEdited({ key: 'debug', value: true });
    expect(s.getSnapshot().context.draft).toEqual({ log_level: 'debug', debug: true });
    s.trigger.draftEdited({ key: 'log_level', value: 'info' });
    expect(s.getSnapshot().context.draft).toEqual({ debug: true });
    s.trigger.draftDiscarded();
    expect(s.getSnapshot().context.draft).toEqual({});
  });

  it('applies: progress naming the keys, then the file as the answer has it and a success naming what was saved', () => {
    const s = store();
    s.trigger.draftEdited({ key: 'log_level', value: 'debug' });
    s.trigger.configApplyStarted();
    expect(s.getSnapshot().context.configOutcome).toEqual({ kind: 'progress', message: 'Applying log level and restarting the server…' });
    s.trigger.configApplySucceeded({ result: { success: true, updated_keys: ['log_level'], server_restarted: true, config: { ...file, log_level: 'debug' } } });
    const ctx = s.getSnapshot().context;
    expect(ctx).toMatchObject({ configApplying: false, draft: {}, config: { log_level: 'debug' } });
    expect(ctx.configOutcome).toMatchObject({ kind: 'success', message: 'Saved log level; the server restarted on the new settings.' });
  });

  it('shows a rollback as a rollback and drops the edits the file no longer has; keeps them after a plain error', () => {
    const s = store();
    s.trigger.draftEdited({ key: 'log_format', value: 'json' });
    s.trigger.configApplyFailed({ keys: ['log_format'], message: 'x', rolledBack: false });
    expect(s.getSnapshot().context).toMatchObject({ draft: { log_format: 'json' }, configOutcome: { kind: 'error', message: 'Could not apply log format.' } });
    s.trigger.configApplyFailed({ keys: ['log_format'], message: 'not healthy; previous config restored', rolledBack: true });
    expect(s.getSnapshot().context).toMatchObject({
      draft: {},
      configOutcome: {
        kind: 'rollback',
        message: 'Rolled back: the server did not come up with log format, so the previous settings are back in use.',
        detail: 'not healthy; previous config restored',
      },
    });
  });
});
