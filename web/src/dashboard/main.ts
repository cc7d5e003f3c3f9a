// The dashboard: what the engine is learning, live. One /stats feed (polled every 2 s) drives every panel; the
// simulate control sends simulated traffic through the engine so the charts have something to show.
import '../shared/style.css';
import './dashboard.css';
import type { DashboardView } from './chart-panel.js';
import type { StatsSnapshot } from './dashboard-api.js';
import type { Panel } from './panel-frame.js';
import { costPanel } from './panels/cost-panel.js';
import { latencyPanel } from './panels/latency-panel.js';
import { learningPanel } from './panels/learning-panel.js';
import { modelsPanel } from './panels/models-panel.js';
import { selectionPanel } from './panels/selection-panel.js';
import { simulatePanel } from './panels/simulate-panel.js';
import { summaryPanel } from './panels/summary-panel.js';
import { throughputPanel } from './panels/throughput-panel.js';
import { StatsFeed } from './stats-feed.js';
import { toolbar } from './toolbar.js';

const app = document.getElementById('app')!;
const heading = document.createElement('h1');
heading.textContent = 'What the engine is learning';
const panels: Array<Panel<DashboardView>> = [summaryPanel(), selectionPanel(), learningPanel(), costPanel(), modelsPanel(), throughputPanel(), latencyPanel()];
const [summary, ...charts] = panels;
const grid = document.createElement('div');
grid.className = 'panels';
grid.append(...charts.map((p) => p.element));

const show = (stats: StatsSnapshot) => {
  const slice = bar.update(stats);
  for (const panel of panels) panel.update({ stats, slice });
};
const feed = new StatsFeed(show, (err) => bar.showError(err.message));
const bar = toolbar(() => feed.latest && show(feed.latest), (resolution) => void feed.setResolution(resolution));
app.append(heading, simulatePanel(() => void feed.refresh()), bar.element, summary.element, grid);
feed.start();
