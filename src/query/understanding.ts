/**
 * Query understanding: from a QueryContext to what the query means. Script and language, spelling suggestions,
 * slots and interpretations against the catalogue, query type, entity-type intent (rules blended with a classifier
 * learned from engagement) and the named feature vector the policy and the ranker read. Results are cached per
 * QueryContext object, so every strategy of one request shares one understanding.
 */
import type { FeedbackEvent } from '../feedback/event.js';
import { engagementWeight } from '../feedback/event.js';
import type { SearchIndex } from '../index/search-index.js';
import { fuzzyNamesOf } from '../index/fuzzy-names.js';
import { spellerOf } from '../index/speller.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import { type ProfileSnapshot, UserProfiles } from '../retrieval/user-profiles.js';
import { contextFeatureNames, FeatureVectorBuilder, type NamedVector, setContextFeatures, type UserSummary } from './context-features.js';
import { IntentClassifier, type IntentModelState } from './intent-classifier.js';
import { argmax, type Distribution, normalized, QUERY_TYPES, type QueryType, queryTypeScores, ruleIntent } from './intent.js';
import { type LexiconOptions, SlotLexicon } from './lexicon.js';
import { nameKey, nameTokens } from '../analysis/name-key.js';
import { createQueryContext, type QueryContext } from './query-context.js';
import { detectScript, guessLanguage, type Script } from './script.js';
import { type FuzzyPhraseLookup, interpret, type Interpretation, type Slot, type SlotKind, tagSlots } from './slots.js';

export interface SpellingSuggestion {
  term: string;
  distance: number;
}

export interface Understanding {
  /** The query's words as slot tagging sees them: name-key words (analysis/name-key.ts). */
  words: string[];
  script: Script;
  language: string;
  /** Words the index does not know, with the speller's suggestions. */
  corrections: Array<{ word: string; suggestions: SpellingSuggestion[] }>;
  /** Every slot found, all readings included. */
  slots: Slot[];
  interpretations: Interpretation[];
  queryType: QueryType;
  queryTypeScores: Record<QueryType, number>;
  /** P(entity type the user wants): the rules and the classifier blended by `intentTrust`. */
  intent: Distribution;
  intentRules: Distribution;
  intentLearned: Distribution;
  intentTrust: number;
  features: NamedVector;
}

export interface UnderstandingOptions extends LexiconOptions {
  /** Typo-tolerant phrase look-up for slots (the fuzzy name index provides one). */
  fuzzy?: FuzzyPhraseLookup;
  /** Spelling suggestions for a word the index does not know. */
  speller?: (word: string) => SpellingSuggestion[];
  /** The user's history aggregates, for context features. */
  userSummary?: (user: string, time: Date) => UserSummary | undefined;
  /** Genres named in the feature vector (default: the catalogue's 8 most common genre values). */
  featureGenres?: string[];
}

/** What the query's text alone says, given the catalogue: no context, nothing learnt from feedback. */
type TextMeaning = Omit<Understanding, 'intent' | 'intentLearned' | 'intentTrust' | 'features'>;

/** Distinct query texts whose meaning is kept (head queries repeat; feedback re-reads its search's query). */
const TEXT_MEANINGS_KEPT = 10_000;

const SLOT_KINDS: readonly SlotKind[] = ['artist', 'title', 'attribute', 'type', 'modifier'];
const SCRIPTS: readonly Script[] = ['latin', 'han', 'kana', 'hangul', 'cyrillic', 'arabic', 'other'];
const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'];

export class QueryUnderstanding {
  readonly lexicon: SlotLexicon;
  classifier = new IntentClassifier();
  private readonly cache = new WeakMap<QueryContext, Understanding>();
  /** Text meanings by query text, least recently used first; valid for one catalogue version. */
  private readonly meanings = new Map<string, TextMeaning>();
  private meaningsVersion = -1;
  private readonly types: string[];
  private readonly vector: FeatureVectorBuilder;
  private prior?: { version: number; dist: Distribution };

  constructor(
    readonly index: SearchIndex,
    private readonly options: UnderstandingOptions = {},
  ) {
    this.lexicon = new SlotLexicon(index, options);
    this.types = [...index.typeNames];
    const genres = options.featureGenres ?? this.topValues('genre', 8);
    this.vector = new FeatureVectorBuilder([
      'q.words', 'q.log_chars', 'q.has_digit', 'q.misspelled', 'q.fuzzy_slot', 'q.top_probability', 'q.slot_confidence',
      ...SCRIPTS.map((s) => `q.script.${s}`), ...LANGUAGES.map((l) => `q.lang.${l}`),
      ...QUERY_TYPES.map((t) => `q.type.${t}`), ...this.types.map((t) => `q.intent.${t}`), ...SLOT_KINDS.map((k) => `q.slot.${k}`),
      ...contextFeatureNames(genres),
    ]);
  }

  /** The names of the feature vector's entries, fixed for this instance. */
  get featureNames(): readonly string[] {
    return this.vector.names;
  }

  /** Supplies the user-history source once it exists (user profiles are built after query understanding). */
  setUserSummary(source: (user: string, time: Date) => UserSummary | undefined): void {
    this.options.userSummary = source;
  }

  understand(query: QueryContext): Understanding {
    let understanding = this.cache.get(query);
    if (!understanding) {
      understanding = this.compute(query);
      this.cache.set(query, understanding);
    }
    return understanding;
  }

  /** The understanding already computed for this request, if any; never computes (for observers such as /stats). */
  cached(query: QueryContext): Understanding | undefined {
    return this.cache.get(query);
  }

  /** Learns the intent from an engagement: the engaged entity's type is what the query wanted. */
  learn(event: FeedbackEvent): void {
    const entity = this.index.get(event.entityId);
    const weight = engagementWeight(event);
    if (!entity || !(weight > 0)) return;
    this.classifier.learn(this.classifierFeatures(this.meaningOf(createQueryContext(event.query).text)), entity.type, weight);
  }

  saveIntentModel(): IntentModelState {
    return this.classifier.toJSON();
  }

  loadIntentModel(state: IntentModelState): void {
    this.classifier = IntentClassifier.fromJSON(state);
  }

  /** The learnt part (the intent classifier), for checkpoints. */
  toJSON(): IntentModelState {
    return this.saveIntentModel();
  }

  restore(state: unknown): void {
    this.loadIntentModel(state as IntentModelState);
  }

  private compute(query: QueryContext): Understanding {
    const meaning = this.meaningOf(query.text);
    const features = this.classifierFeatures(meaning);
    const intentLearned = this.classifier.predict(features);
    const intentTrust = Object.keys(intentLearned).length > 0 ? this.classifier.familiarity(features) : 0;
    const intent = blend(meaning.intentRules, intentLearned, intentTrust);
    const understood = { ...meaning, intent, intentLearned, intentTrust };
    return { ...understood, features: this.featureVector(query, understood) };
  }

  /**
   * The text's meaning: slot tagging (fuzzy name look-ups included), readings, query type, type rules and
   * spelling corrections, all functions of the text and the catalogue only. Kept by text (a bounded LRU) and
   * dropped when the catalogue changes, so repeated queries and the feedback on them do not recompute it.
   */
  private meaningOf(text: string): TextMeaning {
    const version = this.index.inverted.version;
    if (version !== this.meaningsVersion) {
      this.meanings.clear();
      this.meaningsVersion = version;
    }
    let meaning = this.meanings.get(text);
    if (meaning) {
      this.meanings.delete(text);
    } else {
      meaning = this.computeMeaning(text);
      if (this.meanings.size >= TEXT_MEANINGS_KEPT) this.meanings.delete(this.meanings.keys().next().value!);
    }
    this.meanings.set(text, meaning);
    return meaning;
  }

  private computeMeaning(text: string): TextMeaning {
    const words = nameTokens(nameKey(text));
    const script = detectScript(text);
    // Words the index has never seen: the one-word spans worth a fuzzy look-up, and the ones to correct.
    const unknown = new Set(words.filter((w) => this.index.queryTerms(w).length === 0));
    const slots = tagSlots(words, this.lexicon, { fuzzy: this.options.fuzzy, unknown });
    const interpretations = interpret(words, slots);
    const typeScores = queryTypeScores(interpretations, words.length);
    const queryType = argmax(typeScores);
    const intentRules = ruleIntent(interpretations, this.index, this.typePrior());
    const corrections = this.corrections(words, unknown);
    return { words, script, language: guessLanguage(words, script), corrections, slots, interpretations, queryType, queryTypeScores: typeScores, intentRules };
  }

  private classifierFeatures(u: Pick<Understanding, 'words' | 'interpretations' | 'queryType'>): number[] {
    const top = u.interpretations[0];
    const extras = [`qt:${u.queryType}`, ...(top?.slots ?? []).map((s) => (s.kind === 'type' || s.kind === 'modifier' ? `s:${s.kind}=${s.value}` : `s:${s.kind}`))];
    return IntentClassifier.features(u.words, extras);
  }

  private corrections(words: string[], unknown: ReadonlySet<string>): Understanding['corrections'] {
    const speller = this.options.speller;
    if (!speller) return [];
    const out: Understanding['corrections'] = [];
    for (const word of words) {
      if (word.length < 3 || /\d/.test(word) || !unknown.has(word)) continue;
      const suggestions = speller(word);
      if (suggestions.length > 0) out.push({ word, suggestions });
    }
    return out;
  }

  private featureVector(query: QueryContext, u: Omit<Understanding, 'features'>): NamedVector {
    const { set, vector } = this.vector.create();
    set('q.words', u.words.length);
    set('q.log_chars', Math.log1p(query.text.length));
    set('q.has_digit', /\d/.test(query.text) ? 1 : 0);
    set('q.misspelled', u.corrections.length > 0 ? 1 : 0);
    const top = u.interpretations[0];
    set('q.fuzzy_slot', top?.slots.some((s) => s.match === 'fuzzy') ? 1 : 0);
    set('q.top_probability', top?.probability ?? 0);
    set('q.slot_confidence', top && top.slots.length > 0 ? top.slots.reduce((a, s) => a + s.confidence, 0) / top.slots.length : 0);
    set((SCRIPTS as readonly string[]).includes(u.script) ? `q.script.${u.script}` : 'q.script.other', u.script === 'none' ? 0 : 1);
    set(`q.lang.${u.language}`, 1);
    for (const type of QUERY_TYPES) set(`q.type.${type}`, u.queryTypeScores[type]);
    for (const [type, p] of Object.entries(u.intent)) set(`q.intent.${type}`, p);
    // Expected number of slots of each kind over the readings.
    const expected = new Map<SlotKind, number>();
    for (const reading of u.interpretations) for (const slot of reading.slots) expected.set(slot.kind, (expected.get(slot.kind) ?? 0) + reading.probability);
    for (const [kind, count] of expected) set(`q.slot.${kind}`, count);
    const user = query.context.user;
    setContextFeatures(set, query.time, query.context, user ? this.options.userSummary?.(user, query.time) : undefined);
    return vector;
  }

  /** The catalogue's type mix: the intent when nothing in the query says otherwise. Recounted after changes. */
  private typePrior(): Distribution {
    const version = this.index.inverted.version;
    if (this.prior?.version !== version) this.prior = { version, dist: normalized(this.index.stats().byType) };
    return this.prior.dist;
  }

  private topValues(attribute: string, n: number): string[] {
    return [...this.lexicon.allPostings()]
      .filter((p) => p.attribute === attribute)
      .sort((a, b) => b.docs.length - a.docs.length || (a.value < b.value ? -1 : 1))
      .slice(0, n)
      .map((p) => p.value);
  }
}

/** (1 − trust)·rules + trust·learned, over the union of their types. */
function blend(rules: Distribution, learned: Distribution, trust: number): Distribution {
  if (trust <= 0) return rules;
  const out: Distribution = {};
  for (const type of new Set([...Object.keys(rules), ...Object.keys(learned)])) out[type] = (1 - trust) * (rules[type] ?? 0) + trust * (learned[type] ?? 0);
  return normalized(out);
}

/** The shared query understanding of a set of resources: built once, and a learner of intent from feedback. */
export function understandingOf(resources: RetrievalResources): QueryUnderstanding {
  return resources.sharedLearner('understanding', (r) => {
    const names = fuzzyNamesOf(r);
    const speller = spellerOf(r);
    const understanding = new QueryUnderstanding(r.index, {
      // The three closest catalogue names to a span no name matches exactly.
      fuzzy: (phrase) => names.matchName(phrase).filter((m) => m.distance > 0).slice(0, 3).map((m) => ({ phrase: m.text, similarity: m.similarity })),
      speller: (word) => speller.correct(word, { limit: 3 }).map(({ term, distance }) => ({ term, distance })),
    });
    const profiles = UserProfiles.shared(r);
    understanding.setUserSummary((user, time) => userSummary(profiles.at(user, time.getTime())));
    return understanding;
  });
}

/** A plain, printable summary: slots without their entity lists, non-zero features by name. */
export function describeUnderstanding(u: Understanding) {
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const dist = (d: Record<string, number>) => Object.fromEntries(Object.entries(d).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)]));
  return {
    words: u.words,
    script: u.script,
    language: u.language,
    corrections: u.corrections,
    queryType: u.queryType,
    queryTypeScores: dist(u.queryTypeScores),
    intent: dist(u.intent),
    intentTrust: round(u.intentTrust),
    interpretations: u.interpretations.map((r) => ({
      probability: round(r.probability),
      slots: r.slots.map((s) => ({ kind: s.kind, text: s.text, value: s.value, ...(s.attribute ? { attribute: s.attribute } : {}), match: s.match, confidence: round(s.confidence) })),
      free: r.free,
    })),
    features: Object.fromEntries(u.features.names.flatMap((name, i) => (u.features.values[i] !== 0 ? [[name, round(u.features.values[i])]] : []))),
  };
}

/** A user profile as the context features read it: activity, and genre and artist affinities by name. */
function userSummary(profile: ProfileSnapshot | undefined): UserSummary | undefined {
  if (!profile) return undefined;
  const family = (name: string) => Object.fromEntries(profile.top(name, Number.POSITIVE_INFINITY));
  return { activity: profile.norm, genres: family('genre'), artists: family('artist') };
}
