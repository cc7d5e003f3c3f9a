// The dashboard (placeholder until the dashboard lands): the learning state as JSON.
import '../shared/style.css';
import { getJson } from '../shared/api.js';

const app = document.getElementById('app')!;
const pre = document.createElement('pre');
app.append(pre);
pre.textContent = JSON.stringify(await getJson('/stats'), null, 2);
