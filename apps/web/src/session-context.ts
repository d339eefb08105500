/** The signed-in session as the pages read it; app.tsx provides it once signed in. */
import { createContext, useContext } from 'react';
import type { ConsoleConfig, Role, Session } from './session';

export interface SessionContextValue {
  session: Session;
  config: ConsoleConfig;
  can: (...roles: Role[]) => boolean;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in console');
  return value;
}
