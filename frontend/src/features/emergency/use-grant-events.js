import { useEventFeed } from '../../lib/use-event-feed';

/**
 * Follows the administrators' live feed of grant changes and calls
 * `onGrant` with each grant; the state says whether updates are live.
 */
export function useGrantEvents(onGrant) {
  return useEventFeed('/emergency/events', ({ type, data }) => {
    if (type !== 'grant') return;
    try {
      onGrant(JSON.parse(data));
    } catch {
      // A malformed event is skipped; the next reload corrects it.
    }
  });
}
