/**
 * given(events).when(command).then(events) / .thenFails(code) for jest, after oskardudycz's
 * EventSourcing.NodeJS `testing/unit/specification.ts`, for deciders whose refusals are values.
 *
 *   const given = DeciderSpecification.for(actionDecider);
 *   given([assigned]).when(claim).then([claimed]);
 *   given([assigned, claimed]).when(claim).thenFails('ACTION_ALREADY_CLAIMED');
 */
import type { Decider, Decision } from '../decision';
import type { DomainError, ErrorCode } from '../errors';

export type DeciderSpecificationWhen<Command, Event> = {
  when: (command: Command) => {
    /** The decision accepts exactly these events (none: `then([])`). */
    then: (expected: Event | Event[]) => void;
    /** The decision accepts nothing to do: no events, no error. */
    thenNothing: () => void;
    /** The decision refuses with this code; returns the error for further expectations. */
    thenFails: (code: ErrorCode) => DomainError;
  };
};

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return (givenEvents: Event | Event[] = []): DeciderSpecificationWhen<Command, Event> => ({
      when: (command: Command) => {
        const decide = (): Decision<Event> => {
          const events = Array.isArray(givenEvents) ? givenEvents : [givenEvents];
          const state = events.reduce(decider.evolve, decider.initialState());
          return decider.decide(command, state);
        };
        const then = (expected: Event | Event[]): void => {
          const decision = decide();
          expect(decision.ok ? decision : { ok: false, error: decision.error }).toEqual({
            ok: true,
            events: Array.isArray(expected) ? expected : [expected],
          });
        };
        return {
          then,
          thenNothing: () => then([]),
          thenFails: (code: ErrorCode): DomainError => {
            const decision = decide();
            if (decision.ok) {
              throw new Error(`expected a refusal with ${code}, but the decision accepted ${JSON.stringify(decision.events)}`);
            }
            expect(decision.error.code).toBe(code);
            expect(decision.error.message).not.toHaveLength(0);
            return decision.error;
          },
        };
      },
    });
  },
};
