// The headline numbers since the engine started: traffic, what the policy earned, and what is serving.
import type { StatsSnapshot } from '../dashboard-api.js';
import { count, decimal, ms, percent } from '../format.js';
import type { Panel } from '../panel-frame.js';
import { feedbackEvents } from './throughput-panel.js';

export function summaryPanel(): Panel<{ stats: StatsSnapshot }> {
  const section = document.createElement('section');
  section.className = 'summary';
  section.setAttribute('aria-label', 'Totals since the engine started');
  const list = document.createElement('dl');
  section.append(list);
  return {
    element: section,
    update({ stats }) {
      const t = stats.totals;
      const maybe = (v: number | null, f: (v: number) => string) => (v === null ? '–' : f(v));
      const tiles: Array<[string, string, string]> = [
        ['searches', 'Searches', count(t.searches)],
        ['feedback', 'Feedback events', count(feedbackEvents(t))],
        ['coverage', 'Coverage', maybe(t.coverage, percent)],
        ['reward', 'Mean reward', maybe(t.meanReward, decimal)],
        ['drawn', 'Drawn per search', maybe(t.drawnPerSearch, decimal)],
        ['p90', 'p90 total latency', maybe(t.latencyMs.total.p90, ms)],
        ['planner', 'Planner', `${stats.planner.name} (${stats.planner.kind})`],
        ['ranker', 'Ranker', stats.ranker],
        ['entities', 'Entities', count(stats.entities)],
        ['pending', 'Awaiting feedback', count(stats.pendingRequests)],
      ];
      list.replaceChildren(...tiles.map(([key, name, value]) => {
        const tile = document.createElement('div');
        tile.dataset.key = key;
        const dt = document.createElement('dt');
        dt.textContent = name;
        const dd = document.createElement('dd');
        dd.textContent = value;
        tile.append(dt, dd);
        return tile;
      }));
    },
  };
}
