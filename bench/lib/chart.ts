// A small hand-written SVG line chart: latency percentiles (y) against
// load (x), one line per series, so a run needs no charting library.

export interface ChartSeries {
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
}

const WIDTH = 720;
const HEIGHT = 400;
const MARGIN = { top: 40, right: 180, bottom: 50, left: 70 };
const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
];

export function renderChart(spec: ChartSpec): string {
  const points = spec.series.flatMap((series) => series.points);
  const xs = scale(
    points.map((point) => point.x),
    MARGIN.left,
    plotRight(),
  );
  const ys = scale(
    [0, ...points.map((point) => point.y)],
    plotBottom(),
    MARGIN.top,
  );

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" ` +
      `height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(WIDTH / 2, 22, spec.title, 'middle', 15),
    ...axes(spec, xs, ys),
    ...spec.series.flatMap((series, i) => line(series, i, xs, ys)),
    '</svg>',
    '',
  ].join('\n');
}

interface Scale {
  ticks: number[];
  at(value: number): number;
}

function plotRight(): number {
  return WIDTH - MARGIN.right;
}

function plotBottom(): number {
  return HEIGHT - MARGIN.bottom;
}

// Maps [min, max] of the values onto [from, to] pixels, widened to round
// tick values so the gridlines read as whole numbers.
function scale(values: number[], from: number, to: number): Scale {
  const min = values.length > 0 ? Math.min(...values) : 0;
  const max = values.length > 0 ? Math.max(...values) : 1;
  const step = niceStep((max - min || Math.abs(max) || 1) / 5);
  const low = Math.floor(min / step) * step;
  const high = Math.max(Math.ceil(max / step) * step, low + step);
  const ticks: number[] = [];
  for (let tick = low; tick <= high + step / 2; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }

  return {
    ticks,
    at: (value) => from + ((value - low) / (high - low)) * (to - from),
  };
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;

  return nice * power;
}

function axes(spec: ChartSpec, xs: Scale, ys: Scale): string[] {
  const left = MARGIN.left;
  const bottom = plotBottom();

  return [
    ...ys.ticks.map(
      (tick) =>
        `<line x1="${left}" x2="${plotRight()}" y1="${px(ys.at(tick))}" ` +
        `y2="${px(ys.at(tick))}" stroke="#ddd"/>` +
        text(left - 6, ys.at(tick) + 4, format(tick), 'end'),
    ),
    ...xs.ticks.map((tick) =>
      text(xs.at(tick), bottom + 18, format(tick), 'middle'),
    ),
    `<line x1="${left}" x2="${plotRight()}" y1="${bottom}" y2="${bottom}" ` +
      `stroke="black"/>`,
    `<line x1="${left}" x2="${left}" y1="${MARGIN.top}" y2="${bottom}" ` +
      `stroke="black"/>`,
    text((left + plotRight()) / 2, HEIGHT - 12, spec.xLabel, 'middle'),
    `<text x="16" y="${(MARGIN.top + bottom) / 2}" text-anchor="middle" ` +
      `transform="rotate(-90 16 ${(MARGIN.top + bottom) / 2})">` +
      `${escapeXml(spec.yLabel)}</text>`,
  ];
}

function line(series: ChartSeries, index: number, xs: Scale, ys: Scale) {
  const colour = COLOURS[index % COLOURS.length];
  const dash = index >= COLOURS.length ? ' stroke-dasharray="4 3"' : '';
  const coords = series.points
    .map((point) => `${px(xs.at(point.x))},${px(ys.at(point.y))}`)
    .join(' ');
  const legendY = MARGIN.top + 10 + index * 18;

  return [
    `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} ` +
      `points="${coords}"/>`,
    ...series.points.map(
      (point) =>
        `<circle cx="${px(xs.at(point.x))}" cy="${px(ys.at(point.y))}" ` +
        `r="3" fill="${colour}"/>`,
    ),
    `<line x1="${plotRight() + 12}" x2="${plotRight() + 32}" ` +
      `y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
    text(plotRight() + 38, legendY + 4, series.label, 'start'),
  ];
}

function text(
  x: number,
  y: number,
  content: string,
  anchor: 'start' | 'middle' | 'end',
  size?: number,
): string {
  const font = size ? ` font-size="${size}"` : '';

  return (
    `<text x="${px(x)}" y="${px(y)}" text-anchor="${anchor}"${font}>` +
    `${escapeXml(content)}</text>`
  );
}

function px(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '0';
}

function format(value: number): string {
  return Math.abs(value) >= 1000 ? `${value / 1000}k` : String(value);
}

export function escapeXml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
