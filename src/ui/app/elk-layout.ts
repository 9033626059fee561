// Runs ELK on a machine's graph. elkjs's bundled build lays out in this thread (no worker: the graphs are small),
// and is imported only here, so only the Inspector page's bundle carries it.
import elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';
import { parseMachine } from './machine-graph.js';
import { readLayout, toElkGraph, type MachineGraph, type MachineLayout, type Measure } from './elk-graph.js';

// The package is CommonJS: what an ES module imports as its default is `module.exports`, the constructor itself.
const Elk = elkModule as unknown as new (args?: ELKConstructorArguments) => ELK;
let elk: ELK | null = null;

/** Parses a machine definition (`machine.toJSON()`), builds its ELK graph and lays it out. */
export async function layoutMachine(definition: unknown, measure: Measure): Promise<{ graph: MachineGraph; layout: MachineLayout }> {
  const graph = toElkGraph(parseMachine(definition), measure);
  elk ??= new Elk();
  const laidOut = await elk.layout(graph.elk);
  return { graph, layout: readLayout(graph, laidOut) };
}
