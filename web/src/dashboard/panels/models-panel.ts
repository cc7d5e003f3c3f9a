// The ranker's model versions: each retraining's held-out NDCG@k beside that of the model it was judged against,
// whether it was promoted, and which version serves now. A ranker without a registry (the heuristic) has none.
import { dataTable } from '../../shared/data-table.js';
import { renderLineChart } from '../../shared/svg-chart.js';
import type { StatsSnapshot } from '../dashboard-api.js';
import { count, ndcg } from '../format.js';
import { type Panel, panelFrame, redrawOnResize } from '../panel-frame.js';

const yesNo = (v: number) => (v ? 'yes' : 'no');

export function modelsPanel(): Panel<{ stats: StatsSnapshot }> {
  const frame = panelFrame('models', 'Ranker model versions', 'Each retraining of the learned ranker (LambdaMART), judged on held-out impressions: its NDCG@k against the model serving then. Better ones are promoted.');
  const note = document.createElement('p');
  note.className = 'note';
  const chart = document.createElement('div');
  const versions = document.createElement('div');
  frame.body.append(note, chart, versions);
  let stats: StatsSnapshot | undefined;

  const draw = () => {
    const models = stats?.models;
    if (!stats || !models) {
      note.textContent = stats ? `The ${stats.ranker} ranker has no model versions (serve with --ranker lambdamart to learn one).` : '';
      chart.replaceChildren();
      versions.replaceChildren();
      return;
    }
    const list = models.versions;
    const training = stats.retraining ? ' A retraining is under way.' : '';
    note.textContent = list.length === 0
      ? `No model version yet: the ${stats.ranker} ranker serves until the first retraining; ${count(stats.loggedImpressions)} impressions logged for it.${training}`
      : `Serving: ${models.current === null ? 'the fallback (no version promoted)' : `version ${models.current}`}. ${count(stats.loggedImpressions)} impressions logged for the next retraining.${training}`;
    if (list.length === 0) {
      chart.replaceChildren();
      versions.replaceChildren();
      return;
    }
    const k = list[list.length - 1].k;
    renderLineChart(chart, {
      title: `Held-out NDCG@${k} per model version`,
      xKind: 'number', xLabel: 'model version', yLabel: `NDCG@${k}`, formatY: ndcg, formatX: (v) => `v${v}`,
      series: [
        { name: 'new version', points: list.map((v) => ({ x: v.version, y: v.ndcg })) },
        { name: 'model it was judged against', points: list.map((v) => ({ x: v.version, y: v.currentNdcg })) },
      ],
    });
    versions.replaceChildren(dataTable('Ranker model versions', 'version', [
      { name: 'trees', format: count },
      { name: 'trained on (impressions)', format: count },
      { name: `NDCG@${k}`, format: ndcg },
      { name: `judged against NDCG@${k}`, format: ndcg },
      { name: 'promoted', format: yesNo },
      { name: 'serving', format: yesNo },
    ], list.map((v) => ({
      head: `v${v.version}`,
      values: [v.trees, v.trainedOn.impressions, v.ndcg, v.currentNdcg, v.promoted ? 1 : 0, v.version === models.current ? 1 : 0],
    })), true));
    versions.querySelector('summary')!.textContent = 'Versions';
  };
  redrawOnResize(frame.body, draw);
  return {
    element: frame.section,
    update(view) {
      stats = view.stats;
      draw();
    },
  };
}
