// The "simulate" control: runs generated queries from the engine's own catalogue through the live engine, with a
// simulated user clicking what each query wanted (POST /simulate), and shows the run's progress (GET /simulate),
// so a new user can watch the policy learn on the charts below within a minute.
import { ApiError, getHealth } from '../../shared/api.js';
import { fetchSimulation, type SimulationProgress, startSimulation } from '../dashboard-api.js';
import { count } from '../format.js';
import { panelFrame } from '../panel-frame.js';

const POLL_MS = 1000;
const active = (p: SimulationProgress) => p.state === 'generating' || p.state === 'running';

export function simulatePanel(onProgress: () => void): HTMLElement {
  const frame = panelFrame('simulate', 'Simulate traffic', 'Sends generated searches over this catalogue through the live engine, with a simulated user clicking what each one wanted. The charts update as the policy learns.');
  const form = document.createElement('form');
  form.className = 'simulate-form';
  const label = document.createElement('label');
  label.htmlFor = 'simulate-queries';
  label.textContent = 'Searches to simulate';
  const queries = Object.assign(document.createElement('input'), { id: 'simulate-queries', type: 'number', min: '1', max: '10000', step: '1', value: '1000', required: true });
  const button = Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Simulate' });
  const bar = Object.assign(document.createElement('progress'), { max: 1, value: 0 });
  bar.setAttribute('aria-label', 'Simulation progress');
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  form.append(label, queries, button);
  frame.body.append(form, bar, status);

  const show = (p: SimulationProgress) => {
    button.disabled = active(p);
    bar.max = p.options?.queries ?? 1;
    bar.value = p.done;
    status.textContent = describe(p);
    status.dataset.state = p.state;
  };
  const poll = async () => {
    const p = await fetchSimulation();
    show(p);
    onProgress();
    if (active(p)) setTimeout(() => void poll().catch(showError), POLL_MS);
  };
  const showError = (err: Error) => {
    if (err instanceof ApiError && err.status === 404) {
      status.textContent = 'Simulation is off on this server: start it with quiver serve --simulate (npm start does), or run quiver simulate --catalog <file> --policy all offline.';
      status.dataset.state = 'off';
      button.disabled = true;
      return;
    }
    status.textContent = err instanceof ApiError ? `Not started: ${err.message}` : `Cannot reach the server: ${err.message}`;
    status.dataset.state = 'error';
    button.disabled = false;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    button.disabled = true;
    startSimulation({ queries: Number(queries.value) })
      .then((p) => {
        show(p);
        setTimeout(() => void poll().catch(showError), POLL_MS / 4);
      })
      .catch(showError);
  });
  // A run started elsewhere (another tab, the API) shows here too; a server without /simulate gets the CLI hint.
  void getHealth().then(async (health) => {
    if (!health.simulate) return showError(new ApiError(404, 'NOT_FOUND', 'no /simulate'));
    const p = await fetchSimulation();
    show(p);
    if (active(p)) void poll();
  }).catch(showError);
  return frame.section;
}

function describe(p: SimulationProgress): string {
  const engaged = `${count(p.clicks)} with a click, ${count(p.plays)} found another way`;
  switch (p.state) {
    case 'idle':
      return 'No simulation has run yet.';
    case 'generating':
      return `Generating ${count(p.options!.queries)} queries from the catalogue…`;
    case 'running':
      return `Running: ${count(p.done)} of ${count(p.options!.queries)} searches (${engaged}).`;
    case 'done':
      return `Done: ${count(p.done)} searches (${engaged}).`;
    case 'stopped':
      return `Stopped after ${count(p.done)} searches.`;
    case 'failed':
      return `Failed after ${count(p.done)} searches: ${p.error}`;
  }
}
