// Runs the page's searches: one request per (query, types, context) the user settles on, always with `explain`,
// and only the newest answer is shown. A response that arrives after a newer search was started is dropped, so
// typing "lo" then "love" can never end with the results for "lo" on screen.
import { type RequestContext, search, type SearchBody, type SearchResponse } from '../shared/api.js';

export interface SearchInput {
  query: string;
  /** Entity types to keep; undefined for all. */
  types?: string[];
  context: RequestContext;
}

export interface SearchListener {
  loading(input: SearchInput): void;
  results(response: SearchResponse, input: SearchInput): void;
  failed(error: unknown, input: SearchInput): void;
  cleared(): void;
}

export const RESULTS_PER_PAGE = 10;

export class SearchSession {
  private latest = 0;

  constructor(private readonly listener: SearchListener, private readonly run: (body: SearchBody) => Promise<SearchResponse> = search) {}

  async search(input: SearchInput): Promise<void> {
    const ticket = ++this.latest;
    if (input.query.trim() === '') {
      this.listener.cleared();
      return;
    }
    this.listener.loading(input);
    const body: SearchBody = { query: input.query, k: RESULTS_PER_PAGE, explain: true };
    if (input.types) body.types = input.types;
    if (Object.keys(input.context).length > 0) body.context = input.context;
    try {
      const response = await this.run(body);
      if (ticket === this.latest) this.listener.results(response, input);
    } catch (error) {
      if (ticket === this.latest) this.listener.failed(error, input);
    }
  }

  /** Forgets any search in flight (its answer will be dropped). */
  cancel(): void {
    this.latest++;
  }
}
