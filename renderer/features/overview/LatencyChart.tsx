import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RequestWindowView } from '../../../shared/contract/health';
import { formatDateTime, formatTimeOfDay } from '../../format/time';

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || undefined;

/** A system's latency through the day: p50 and p95 of each window, in ms (uPlot, drawn in the theme's colours). */
export function LatencyChart({ label, windows }: { label: string; windows: readonly RequestWindowView[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [windows.map((w) => Date.parse(w.at) / 1000), windows.map((w) => w.p50), windows.map((w) => w.p95)];
    const axis = { stroke: css('--muted'), grid: { stroke: css('--line'), width: 1 }, ticks: { stroke: css('--line') } };
    const chart = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 150,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(100, max ?? 0) * 1.1] } },
        axes: [
          { ...axis, values: (_u, ticks) => ticks.map((t) => formatTimeOfDay(new Date(t * 1000).toISOString())) },
          { ...axis, values: (_u, ticks) => ticks.map((t) => `${t} ms`), size: 60 },
        ],
        series: [
          { label: 'Window from', value: (_u, t) => (t == null ? '—' : formatDateTime(new Date(t * 1000).toISOString())) },
          // Points as well as lines: a quiet hour leaves single windows a line alone would not show.
          {
            label: 'p50',
            stroke: css('--accent'),
            width: 1.5,
            spanGaps: false,
            points: { show: true, size: 4 },
            value: (_u, v) => (v == null ? '—' : `≤ ${v} ms`),
          },
          {
            label: 'p95',
            stroke: css('--warn'),
            width: 1.5,
            spanGaps: false,
            points: { show: true, size: 4 },
            value: (_u, v) => (v == null ? '—' : `≤ ${v} ms`),
          },
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, el.clientWidth), height: 150 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [windows]);

  return <div ref={box} className="latency-chart" role="img" aria-label={`${label}: request latency p50 and p95 over the day`} />;
}
