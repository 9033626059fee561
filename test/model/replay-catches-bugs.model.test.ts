import { commands, facts, pathOf, variants } from './lifecycle.model.js';
import { replayLifecyclePath } from './lifecycle.replay.js';

// Tests of the test: the replay must fail, and say why, when the daemon's world does not behave as the model says.
describe('the lifecycle replay, given a fixture that misbehaves', () => {
  const transient = variants[0] as (typeof variants)[number];
  const temporary = variants[1] as (typeof variants)[number];

  it('passes when nothing lies (the same path as below, told the truth)', async () => {
    await replayLifecyclePath(pathOf(temporary, [commands.start, facts.spawned, facts.crashed, commands.start]));
  });

  it('fails at the step where the server exits 0 though told to crash, naming what the model expected', async () => {
    const path = pathOf(temporary, [commands.start, facts.spawned, facts.crashed, commands.start]);
    await expect(replayLifecyclePath(path, { lie: 'exit' })).rejects.toThrow(
      /^step 3 \(exited \(code 3\) in starting\) of .*: expected process\.exited \{"code":3,"signal":null\}, but the daemon's lifecycle handled process\.exited \{"code":0,"signal":null,/,
    );
  });

  it('fails when a child of the server escapes its process group, and kills what escaped', async () => {
    const path = pathOf(transient, [commands.start, facts.spawned, facts.healthy, facts.killed]);
    await expect(replayLifecyclePath(path, { lie: 'escape' })).rejects.toThrow(/alive outside the current process group/);
  });
});
