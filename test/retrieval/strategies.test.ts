// Every retrieval strategy runs the shared conformance suite over the demo catalogue; the learning strategies
// run it twice: cold, and after learning from feedback, so that their learned results are checked too.
import type { FeedbackEvent } from '../../src/feedback/event.js';
import { ExploreStrategy } from '../../src/retrieval/explore.js';
import { FreshStrategy } from '../../src/retrieval/fresh.js';
import { createFuzzyStrategy } from '../../src/retrieval/fuzzy.js';
import { LexicalStrategy } from '../../src/retrieval/lexical.js';
import { MemoryStrategy } from '../../src/retrieval/memory.js';
import { PersonalisedStrategy } from '../../src/retrieval/personalised.js';
import { PopularStrategy } from '../../src/retrieval/popular.js';
import { RelatedStrategy } from '../../src/retrieval/related.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import type { Strategy } from '../../src/retrieval/strategy.js';
import { DEMO_TIME, demoIndex, feedback } from '../helpers/demo-index.js';
import { StructuredStrategy } from '../../src/retrieval/structured.js';
import { strategyConformance } from './conformance.js';

const index = demoIndex();
const queries = ['love', 'taylor swift', 'chill workout songs', 'queen bohemian rhapsody', 'zzzz-no-match', 'new albums', 'songs by queen'];
// The demo data ends in January 2020, so the clock is set just after it.
const options = { context: { time: DEMO_TIME } };

strategyConformance({ make: () => new LexicalStrategy(index), index, queries, options });
strategyConformance({ make: () => new PopularStrategy(index), index, queries, options });
strategyConformance({ make: () => new FreshStrategy(index, { windowDays: 120 }), index, queries, options });
strategyConformance({ make: () => new ExploreStrategy(index, { pool: 100 }), index, queries, options });
strategyConformance({ make: () => new StructuredStrategy(new RetrievalResources(index)), index, queries, options });

// Feedback from two users: clicks, plays, a favourite, a skip, within sessions (so co-engagement edges form).
const EVENTS: FeedbackEvent[] = [
  feedback('love', 't:0W4NhJhcqKCqEP2GIpDCDq', 'click', '2020-01-30T10:00:00Z', 'u1'),
  feedback('taylor swift', 't:1u8c2t2Cy7UBoG4ArRcF5g', 'favorite', '2020-01-30T10:05:00Z', 'u1'),
  feedback('queen bohemian rhapsody', 't:4u7EnebtmKWzUH433cf5Qv', 'play', '2020-01-30T10:10:00Z', 'u1'),
  feedback('chill workout songs', 't:2374M0fQpWi3dLnB54qaLX', 'like', '2020-01-30T10:12:00Z', 'u1'),
  feedback('love', 't:5tyznRXlcIx0XlQ7S8iCMW', 'skip', '2020-01-30T10:13:00Z', 'u1'),
  feedback('zzzz-no-match', 't:2zYzyRzz6pRmhPzyfMEC8s', 'click', '2020-01-31T09:00:00Z', 'u2'),
  feedback('taylor swift', 'a:taylor-swift', 'click', '2020-01-31T09:02:00Z', 'u2'),
];

function learned<S extends Strategy>(make: (r: RetrievalResources) => S): () => S {
  return () => {
    const resources = new RetrievalResources(index);
    const strategy = make(resources);
    for (const event of EVENTS) resources.learn(event);
    return strategy;
  };
}

const asUser = { context: { time: DEMO_TIME, user: 'u1' } };
strategyConformance({ make: () => new MemoryStrategy(new RetrievalResources(index)), index, queries, options });
strategyConformance({ make: learned((r) => new MemoryStrategy(r, { name: 'memory (learned)' })), index, queries, options });
strategyConformance({ make: () => new RelatedStrategy(new RetrievalResources(index)), index, queries, options });
strategyConformance({ make: learned((r) => new RelatedStrategy(r, { name: 'related (learned)' })), index, queries, options: asUser });
strategyConformance({ make: learned((r) => new PersonalisedStrategy(r)), index, queries, options: asUser });
strategyConformance({ make: learned((r) => new PersonalisedStrategy(r, { name: 'personalised (vague)' })), index, queries: ['', 'play some music', 'zzzz-no-match'], options: asUser });
strategyConformance({ make: learned((r) => new StructuredStrategy(r, 'structured (learned intent)')), index, queries, options });
// Each make() builds its own resources, so instances share nothing but the index.
strategyConformance({ make: () => createFuzzyStrategy(new RetrievalResources(index)), index, queries: [...queries, 'tayler swfit', 'bohemian rapsody'], options });
