/**
 * given(events).when(command).then(events) / .thenFails(code) for jest, after oskardudycz's
 * EventSourcing.NodeJS `testing/unit/specification.ts`, for deciders whose refusals are values.
 * It folds and decides with the functions the command handlers use (`decide<Agg>`, `evolve<Agg>`,
 * `initial<Agg>State`), so a spec exercises what production runs.
 *
 *   const given = DeciderSpecification.for(decideAction, evolveAction, initialActionState);
 *   given([assigned]).when(claim).then([claimed]);
 *   given([assigned, claimed]).when(claim).thenFails('ACTION_ALREADY_CLAIMED');
 *
 * Workflows decide over several streams' states; their specs give those states:
 *
 *   const given = WorkflowSpecification.for(tableProblem);
 *   given({ problem, meeting }).when(table).then({ problem: [tabled] });
 */
import type { Decision, WorkflowDecision } from '../decision';
import type { DomainError, RefusalCode } from '../errors';

type Then<Events> = {
  /** The decision accepts exactly these events. */
  then: (expected: Events) => void;
  /** The decision refuses with this code; returns the error for further expectations. */
  thenFails: (code: RefusalCode) => DomainError;
};

export type DeciderSpecificationWhen<Command, Event> = {
  when: (command: Command) => {
    /** The decision accepts exactly these events (none: `then([])`). */
    then: (expected: Event | Event[]) => void;
    /** The decision accepts nothing to do: no events, no error. */
    thenNothing: () => void;
    /** The decision refuses with this code; returns the error for further expectations. */
    thenFails: (code: RefusalCode) => DomainError;
  };
};

const thenOf = <Events>(decide: () => { ok: true; events: Events } | { ok: false; error: DomainError }): Then<Events> => ({
  then: (expected: Events): void => {
    const decision = decide();
    expect(decision.ok ? decision : { ok: false, error: decision.error }).toEqual({ ok: true, events: expected });
  },
  thenFails: (code: RefusalCode): DomainError => {
    const decision = decide();
    if (decision.ok) {
      throw new Error(`expected a refusal with ${code}, but the decision accepted ${JSON.stringify(decision.events)}`);
    }
    expect(decision.error.code).toBe(code);
    expect(decision.error.message).not.toHaveLength(0);
    return decision.error;
  },
});

export const DeciderSpecification = {
  for<Command, Event, State>(decide: (command: Command, state: State) => Decision<Event>, evolve: (state: State, event: Event) => State, initialState: State) {
    return (givenEvents: Event | Event[] = []): DeciderSpecificationWhen<Command, Event> => ({
      when: (command: Command) => {
        const state = (): State => (Array.isArray(givenEvents) ? givenEvents : [givenEvents]).reduce(evolve, initialState);
        const { then, thenFails } = thenOf<Event[]>(() => decide(command, state()));
        const thenEvents = (expected: Event | Event[]) => then(Array.isArray(expected) ? expected : [expected]);
        return { then: thenEvents, thenNothing: () => thenEvents([]), thenFails };
      },
    });
  },
};

export const WorkflowSpecification = {
  for<Input extends { command: unknown }, Events>(workflow: (input: Input) => WorkflowDecision<Events>) {
    return (states: Omit<Input, 'command'>) => ({
      when: (command: Input['command']): Then<Events> => thenOf(() => workflow({ ...states, command } as Input)),
    });
  },
};
