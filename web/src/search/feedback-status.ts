// A live line that confirms each feedback event the server accepted ("sent: like …") or says why it was not.
import { ApiError, type FeedbackReceipt } from '../shared/api.js';
import { h } from './dom.js';

export function createFeedbackStatus(): { element: HTMLElement; sent(type: string, title: string, position: number, receipt: FeedbackReceipt): void; failed(type: string, error: unknown): void } {
  const element = h('p', { id: 'feedback-status', class: 'feedback-status', role: 'status', 'aria-live': 'polite' });
  return {
    element,
    sent(type, title, position, receipt) {
      element.classList.remove('error');
      const note =
        receipt.unknownRequests.length > 0 ? ' The search had expired: stored, not learnt from.'
        : receipt.lateRequests.length > 0 ? ' The search had closed: memory and your profile learnt from it, the retrieval plan and the ranker did not.'
        : ' Search again to see what the engine learned.';
      element.textContent = `sent: ${type} · “${title}” at position ${position}.${note}`;
    },
    failed(type, err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'UNKNOWN', String(err));
      element.classList.add('error');
      element.textContent = `${type} not sent: ${e.code}: ${e.message}`;
    },
  };
}
