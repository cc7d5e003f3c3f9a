/**
 * An analyser turns text into index terms: normalise → tokenise → drop stop words → stem. Each field may have
 * its own; the query is analysed once per distinct field analyser so it matches what each field indexed.
 */
import { stemmer } from 'stemmer';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { NON_ASCII, normalizeText } from './normalize.js';
import { ENGLISH_STOP_WORDS } from './stopwords-en.js';
import { tokenize, tokenizeAsciiRanges } from './tokenize.js';
import type { RangeTokens } from './tokens.js';

export const ANALYZER_OPTIONS = {
  foldCase: { kind: 'boolean', default: true, description: 'lower-case (Unicode case folding)' },
  foldDiacritics: { kind: 'boolean', default: true, description: 'strip Latin accents ("é" → "e")' },
  stem: { kind: 'enum', default: 'english', values: ['none', 'english'], description: 'stemmer (Porter for English)' },
  stopWords: { kind: 'enum', default: 'none', values: ['none', 'english'], description: 'stop-word list to drop' },
} as const;

export type AnalyzerConfig = ResolvedOptions<typeof ANALYZER_OPTIONS>;

const ASCII_WORD = /^[a-z]+$/;
const STEM_CACHE_LIMIT = 200_000;

export class Analyzer {
  readonly config: AnalyzerConfig;
  /** Stable key: two analysers with equal keys produce equal terms. */
  readonly key: string;
  private readonly stemCache = new Map<string, string>();

  constructor(config: Partial<AnalyzerConfig> = {}, where = 'analyzer.') {
    this.config = resolveOptions(ANALYZER_OPTIONS, config, where);
    this.key = JSON.stringify(this.config);
  }

  /**
   * The terms of `text` as character ranges (see RangeTokens), when this analyser only folds case and the text
   * is ASCII; otherwise undefined, and `analyze` is the way.
   */
  analyzeRanges(text: string): RangeTokens | undefined {
    const c = this.config;
    if (c.stem !== 'none' || c.stopWords !== 'none' || NON_ASCII.test(text)) return undefined;
    const lowered = c.foldCase ? text.toLowerCase() : text;
    const tokens: RangeTokens = { text: lowered, bounds: [], extra: [] };
    tokenizeAsciiRanges(lowered, tokens.bounds, tokens.extra);
    return tokens;
  }

  /** The terms of `text`, in order, stop words removed (positions are not kept: BM25F does not need them). */
  analyze(text: string, out: string[] = []): string[] {
    const start = out.length;
    if (!NON_ASCII.test(text)) tokenize(this.config.foldCase ? text.toLowerCase() : text, out, true);
    else tokenize(normalizeText(text, this.config), out, false);
    const stop = this.config.stopWords === 'english' ? ENGLISH_STOP_WORDS : undefined;
    const stem = this.config.stem === 'english';
    if (!stop && !stem) return out;
    // Filter and stem in place, after the tokens already in `out`.
    let write = start;
    for (let read = start; read < out.length; read++) {
      const token = out[read];
      if (stop?.has(token)) continue;
      out[write++] = stem ? this.stem(token) : token;
    }
    out.length = write;
    return out;
  }

  private stem(token: string): string {
    if (token.length < 3 || !ASCII_WORD.test(token)) return token;
    let stemmed = this.stemCache.get(token);
    if (stemmed === undefined) {
      stemmed = stemmer(token);
      if (this.stemCache.size >= STEM_CACHE_LIMIT) this.stemCache.clear();
      this.stemCache.set(token, stemmed);
    }
    return stemmed;
  }
}
