// The CPU and memory trend charts of the server card: two small uPlot line charts (canvas), sized to their boxes,
// coloured from the page's CSS (light or dark), redrawn when new samples arrive.
import uPlot from 'uplot';
import type { MetricsHistory } from './api.js';
import { chartColumns, timeRange } from './metrics.view.js';

const height = 48;

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#2456d6';
}

// A sparkline: no axes, legend or cursor; up to the last 15 minutes left to right, the values from 0 up.
function sparkline(target: HTMLElement, colorVar: string, fillVar: string, interval: () => number): uPlot {
  const options: uPlot.Options = {
    width: Math.max(80, target.clientWidth),
    height,
    cursor: { show: false },
    legend: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    axes: [{ show: false }, { show: false }],
    scales: {
      x: {
        time: true,
        range: (_u, min) => timeRange(Number.isFinite(min) ? min : null, Date.now() / 1000, interval()),
      },
      // From zero, with headroom; a flat line of zeros still has a scale.
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] },
    },
    series: [{}, { stroke: () => cssColor(colorVar), fill: () => cssColor(fillVar), width: 1.5, points: { show: false } }],
  };
  return new uPlot(options, [[], []], target);
}

/** The two charts; update() with each metrics history answer. */
export class MetricsCharts {
  private readonly cpu: uPlot;
  private readonly memory: uPlot;
  private intervalSeconds = 5;

  constructor(cpuBox: HTMLElement, memoryBox: HTMLElement) {
    const interval = (): number => this.intervalSeconds;
    this.cpu = sparkline(cpuBox, '--chart-cpu', '--chart-cpu-fill', interval);
    this.memory = sparkline(memoryBox, '--chart-memory', '--chart-memory-fill', interval);
    const fit = new ResizeObserver(() => {
      this.cpu.setSize({ width: Math.max(80, cpuBox.clientWidth), height });
      this.memory.setSize({ width: Math.max(80, memoryBox.clientWidth), height });
    });
    fit.observe(cpuBox);
    fit.observe(memoryBox);
    // Colours come from the page's CSS: redraw when light and dark swap.
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.cpu.redraw(false, false);
      this.memory.redraw(false, false);
    });
  }

  update(history: MetricsHistory | null): void {
    if (history) this.intervalSeconds = history.interval_ms / 1000;
    const [times, cpu, memory] = chartColumns(history);
    this.cpu.setData([times, cpu]);
    this.memory.setData([times, memory]);
  }
}
