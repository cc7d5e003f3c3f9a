// The demo catalogue indexed once per test process, as the strategy tests use it; and a feedback event maker.
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import type { FeedbackEvent, FeedbackType } from '../../src/feedback/event.js';
import { SearchIndex } from '../../src/index/search-index.js';

let demo: SearchIndex | undefined;

export function demoIndex(): SearchIndex {
  demo ??= SearchIndex.build(loadCatalog(demoCatalogPath()).entities, { popularityWeight: 1 });
  return demo;
}

/** The demo data ends in January 2020, so requests are timed just after it. */
export const DEMO_TIME = '2020-02-01T00:00:00Z';

export function feedback(query: string, entityId: string, type: FeedbackType = 'click', time = '2020-01-31T12:00:00Z', user?: string): FeedbackEvent {
  return { query, entityId, type, time: new Date(time), user };
}
