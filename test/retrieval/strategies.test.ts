// Every retrieval strategy runs the shared conformance suite over the demo catalogue.
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { ExploreStrategy } from '../../src/retrieval/explore.js';
import { FreshStrategy } from '../../src/retrieval/fresh.js';
import { createFuzzyStrategy } from '../../src/retrieval/fuzzy.js';
import { LexicalStrategy } from '../../src/retrieval/lexical.js';
import { PopularStrategy } from '../../src/retrieval/popular.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { strategyConformance } from './conformance.js';

const index = SearchIndex.build(loadCatalog(demoCatalogPath()).entities, { popularityWeight: 1 });
const queries = ['love', 'taylor swift', 'chill workout songs', 'queen bohemian rhapsody', 'zzzz-no-match'];
// The demo data ends in January 2020, so the clock is set just after it.
const options = { context: { time: '2020-02-01T00:00:00Z' } };

strategyConformance({ make: () => new LexicalStrategy(index), index, queries, options });
strategyConformance({ make: () => new PopularStrategy(index), index, queries, options });
strategyConformance({ make: () => new FreshStrategy(index, { windowDays: 120 }), index, queries, options });
strategyConformance({ make: () => new ExploreStrategy(index, { pool: 100 }), index, queries, options });
// Each make() builds its own resources, so instances share nothing but the index.
strategyConformance({ make: () => createFuzzyStrategy(new RetrievalResources(index)), index, queries: [...queries, 'tayler swfit', 'bohemian rapsody'], options });
