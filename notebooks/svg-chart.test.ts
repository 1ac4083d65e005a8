import { describe, expect, it } from 'vitest';
import { hourTicks, lineChart, niceTicks, utcLabel } from './svg-chart.ts';

describe('svg-chart', () => {
  it('niceTicks steps by 1, 2 or 5 x 10^k within the range', () => {
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(180, 233)).toEqual([180, 200, 220]);
  });

  it('hourTicks land on whole UTC hours', () => {
    const day = Date.UTC(2025, 0, 7);
    const ticks = hourTicks(day + 5 * 60_000, day + 24 * 3_600_000);
    expect(ticks.map(utcLabel)).toEqual(['01-07 06:00', '01-07 12:00', '01-07 18:00', '01-08 00:00']);
  });

  it('draws one polyline per unbroken run and breaks lines at NaN', () => {
    const svg = lineChart([{ label: 'a', x: [0, 1, 2, 3, 4], y: [1, 2, Number.NaN, 3, 4] }], { title: 't', yLabel: 'y' });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/points="[^"]*"/g)!.map((p) => p.split(' ').length)).toEqual([2, 2]);
  });

  it('dots draw a circle per finite point, and text is escaped', () => {
    const svg = lineChart([{ label: 'p95 <heap>', x: [0, 1, 2], y: [5, Number.NaN, 7], dots: true }], { title: 'A & B', yLabel: 'MiB' });
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('p95 &lt;heap&gt;');
    expect(svg).toContain('A &amp; B');
    expect(svg).not.toContain('<polyline');
  });

  it('refuses a chart with nothing to show', () => {
    expect(() => lineChart([{ label: 'a', x: [1], y: [Number.NaN] }], { title: 'empty', yLabel: 'y' })).toThrow(/no finite points/);
  });
});
