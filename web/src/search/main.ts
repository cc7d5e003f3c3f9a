// The search page (placeholder until the search UI lands): a search box that shows result titles.
import '../shared/style.css';
import { search } from '../shared/api.js';

const app = document.getElementById('app')!;
app.innerHTML = '<label for="q">Search</label> <input id="q" type="search" autocomplete="off" /><ol id="results"></ol>';
const input = app.querySelector<HTMLInputElement>('#q')!;
const list = app.querySelector<HTMLOListElement>('#results')!;
input.addEventListener('input', async () => {
  const response = await search({ query: input.value, k: 10 });
  list.replaceChildren(...response.results.map((r) => Object.assign(document.createElement('li'), { textContent: r.title })));
});
