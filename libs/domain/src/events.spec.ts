import { DOMAIN_EVENT_TYPES, EVENT_TYPES_BY_AGGREGATE, asDomainEvent, isDomainEventType, parseStreamName, streamName } from './events';

describe('events', () => {
  it('lists every event type once', () => {
    expect(DOMAIN_EVENT_TYPES).toHaveLength(51);
    expect(new Set(DOMAIN_EVENT_TYPES).size).toBe(51);
    expect(EVENT_TYPES_BY_AGGREGATE.problem).toContain('ActionAgreed');
    expect(EVENT_TYPES_BY_AGGREGATE.action).toContain('ActionAssigned');
  });

  it('recognises stored events by type', () => {
    expect(isDomainEventType('ProblemRaised')).toBe(true);
    expect(isDomainEventType('SomethingElse')).toBe(false);
    expect(asDomainEvent({ type: 'ActionCancelled', data: { reason: 'r' } })).toEqual({ type: 'ActionCancelled', data: { reason: 'r' } });
    expect(asDomainEvent({ type: 'Nope', data: {} })).toBeUndefined();
  });

  it('names and parses streams', () => {
    expect(streamName('problem', 'abc-1')).toBe('problem-abc-1');
    expect(parseStreamName('agency-COUNCIL-ASB')).toEqual({ kind: 'agency', id: 'COUNCIL-ASB' });
    expect(parseStreamName('other-1')).toBeUndefined();
    expect(parseStreamName('problem-')).toBeUndefined();
  });
});
