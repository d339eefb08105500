import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { onUnauthorised, setTokenSource } from './api';
import { AnnouncerProvider } from './announcer';
import { Loading, Notice } from './components';
import { SEARCH_MAX_LENGTH } from './field-messages';
import { ActionsQueuePage } from './pages/actions-queue';
import { AdminPage } from './pages/admin';
import { DashboardPage } from './pages/dashboard';
import { ImportsPage } from './pages/imports';
import { IncidentsPage } from './pages/incidents';
import { MeetingPackPage } from './pages/meeting-pack';
import { MeetingRoomPage } from './pages/meeting-room';
import { MeetingsPage } from './pages/meetings';
import { ProblemBoardPage } from './pages/problem-board';
import { ProblemPage } from './pages/problem';
import { RaiseProblemPage } from './pages/raise-problem';
import { SignInPage } from './pages/sign-in';
import { ReferenceProvider } from './reference';
import { Link, match, navigate, useLocation } from './router';
import { SessionContext, useSession, type SessionContextValue } from './session-context';
import {
  AccountNotUsableError,
  completeOidcSignIn,
  hasRole,
  keepOidcSessionFresh,
  isOidcCallback,
  loadConsoleConfig,
  oidcSignOut,
  primaryRole,
  onSessionChangedElsewhere,
  restoreSession,
  storeSession,
  type ConsoleConfig,
  type Role,
  type Session,
} from './session';
import { label } from './vocab';

interface NavItem {
  to: string;
  text: string;
  roles: Role[];
}

/** What each role is offered; the API enforces the same rules again. */
const NAV: NavItem[] = [
  { to: '/problems', text: 'Problems', roles: ['inspector', 'officer', 'manager'] },
  { to: '/actions', text: 'Actions', roles: ['inspector', 'manager'] },
  { to: '/actions', text: 'My agency’s actions', roles: ['officer'] },
  { to: '/meetings', text: 'Meetings', roles: ['inspector', 'manager'] },
  { to: '/dashboard', text: 'Dashboard', roles: ['manager', 'inspector'] },
  { to: '/incidents', text: 'Incidents', roles: ['inspector', 'manager'] },
  { to: '/imports', text: 'Imports', roles: ['inspector', 'manager', 'admin'] },
  { to: '/administration', text: 'Administration', roles: ['admin'] },
];

const HOME: Record<Role, string> = { inspector: '/problems', officer: '/actions', manager: '/dashboard', admin: '/administration' };

function Routes() {
  const { path } = useLocation();
  const { session } = useSession();
  if (path === '/' || path === '/signin' || isOidcCallback(path)) {
    const role = primaryRole(session.claims);
    const home = role ? HOME[role] : '/problems';
    queueMicrotask(() => navigate(home, { replace: true }));
    return <Loading what="your start page" />;
  }
  if (path === '/problems') return <ProblemBoardPage />;
  if (path === '/problems/new') return <RaiseProblemPage />;
  let params = match('/problems/:id', path);
  if (params) return <ProblemPage id={params['id']!} />;
  if (path === '/actions') return <ActionsQueuePage />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/meetings') return <MeetingsPage />;
  params = match('/meetings/:id/pack', path);
  if (params) return <MeetingPackPage id={params['id']!} />;
  params = match('/meetings/:id', path);
  if (params) return <MeetingRoomPage id={params['id']!} />;
  if (path === '/administration') return <AdminPage />;
  if (path === '/incidents') return <IncidentsPage />;
  if (path === '/imports') return <ImportsPage />;
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to your start page</Link>.
      </p>
    </>
  );
}

/** Moves focus to the new page's heading after navigation, so screen readers announce it. */
function useFocusOnNavigate(path: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const id = setTimeout(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }, 50);
    return () => clearTimeout(id);
  }, [path]);
  useEffect(() => {
    const id = setTimeout(() => {
      const heading = document.querySelector('main h1')?.textContent;
      document.title = heading ? `${heading} · Tasking Ledger` : 'Tasking Ledger';
    }, 100);
    return () => clearTimeout(id);
  });
}

export function App() {
  const { path } = useLocation();
  const [config, setConfig] = useState<ConsoleConfig>();
  const [session, setSession] = useState<Session | undefined>(() => restoreSession());
  const [notice, setNotice] = useState<string>();
  const [callbackError, setCallbackError] = useState<string>();
  const [unusable, setUnusable] = useState<AccountNotUsableError>();
  const sessionRef = useRef(session);
  sessionRef.current = session;

  useEffect(() => {
    setTokenSource(() => sessionRef.current?.token);
    onUnauthorised(() => {
      storeSession(undefined);
      setSession(undefined);
      setNotice('Your sign-in has ended or was not accepted. Sign in again.');
    });
    void loadConsoleConfig().then(setConfig);
    return onSessionChangedElsewhere((next) => {
      setSession(next);
      if (!next) {
        setNotice('You have signed out.');
        navigate('/signin');
      } else if (window.location.pathname === '/signin') navigate('/', { replace: true });
    });
  }, []);

  // OIDC: the identity provider redirects back to /auth/callback with the code.
  useEffect(() => {
    if (!config || !isOidcCallback(path) || session) return;
    completeOidcSignIn(config)
      .then(({ session: signedIn, returnTo }) => {
        storeSession(signedIn);
        setSession(signedIn);
        navigate(returnTo, { replace: true });
      })
      .catch((error: Error) => (error instanceof AccountNotUsableError ? setUnusable(error) : setCallbackError(error.message)));
  }, [config, path, session]);

  // OIDC: renew the access token before it expires, for as long as this session lasts.
  const oidcSubject = session?.source === 'oidc' ? session.claims.sub : undefined;
  useEffect(() => {
    if (!config || !oidcSubject) return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void keepOidcSessionFresh(config, (renewed) => {
      storeSession(renewed);
      setSession(renewed);
    }).then((stopRenewing) => {
      if (stopped) stopRenewing();
      else stop = stopRenewing;
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }, [config, oidcSubject]);

  const signIn = useCallback((next: Session) => {
    storeSession(next);
    setSession(next);
    setNotice(undefined);
    if (window.location.pathname === '/signin' || window.location.pathname === '/') navigate('/', { replace: true });
  }, []);

  const signOut = useCallback(() => {
    const wasOidc = sessionRef.current?.source === 'oidc';
    storeSession(undefined);
    setSession(undefined);
    setNotice('You have signed out.');
    navigate('/signin');
    if (wasOidc && config) void oidcSignOut(config);
  }, [config]);

  useFocusOnNavigate(path);

  const contextValue = useMemo<SessionContextValue | undefined>(
    () => (session && config ? { session, config, can: (...roles: Role[]) => hasRole(session, ...roles) } : undefined),
    [session, config],
  );

  if (!config) {
    return (
      <main id="main" className="page">
        <Loading what="the console" />
      </main>
    );
  }

  if (!contextValue) {
    return (
      <>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="banner">
          <div className="banner__inner">
            <span className="brand">Tasking Ledger</span>
          </div>
        </header>
        <main id="main" className="page" tabIndex={-1}>
          {callbackError && <Notice kind="warning">Single sign-on did not complete: {callbackError}</Notice>}
          {notice && <Notice>{notice}</Notice>}
          {unusable ? (
            <section className="sign-in">
              <h1 tabIndex={-1}>{unusable.heading}</h1>
              <p>{unusable.message}</p>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setUnusable(undefined);
                  void oidcSignOut(config);
                }}
              >
                Sign out of your organisation account
              </button>
            </section>
          ) : isOidcCallback(path) && !callbackError ? (
            <Loading what="your sign-in" />
          ) : (
            <SignInPage config={config} onSignIn={signIn} />
          )}
        </main>
      </>
    );
  }

  const { claims } = contextValue.session;
  const nav = NAV.filter((item) => item.roles.some((r) => claims.roles.includes(r))).filter(
    (item, index, list) => list.findIndex((other) => other.to === item.to) === index,
  );

  return (
    <SessionContext.Provider value={contextValue}>
      <ReferenceProvider token={contextValue.session.token}>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="banner">
          <div className="banner__inner">
            <Link to="/" className="brand">
              Tasking Ledger
            </Link>
            <nav aria-label="Main">
              <ul className="nav">
                {nav.map((item) => (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={path === item.to || path.startsWith(`${item.to}/`) ? 'page' : undefined}>
                      {item.text}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            {claims.roles.some((r) => r !== 'admin') && <HeaderSearch />}
            <div className="who" aria-label="Signed in as">
              <span className="who__name">{claims.name}</span>
              <span className="who__detail">
                {claims.roles.map(label).join(', ')} · {claims.agency}
              </span>
              <button type="button" className="button button--quiet" onClick={signOut}>
                Sign out
              </button>
            </div>
          </div>
        </header>
        <main id="main" className="page" tabIndex={-1}>
          <AnnouncerProvider>
            <Routes />
          </AnnouncerProvider>
        </main>
      </ReferenceProvider>
    </SessionContext.Provider>
  );
}

/** Search from any page: opens the problem board with the text, open and closed problems alike. */
function HeaderSearch() {
  const [text, setText] = useState('');
  return (
    <form
      role="search"
      className="site-search"
      aria-label="Problems"
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        if (!q) return;
        navigate(`/problems?${new URLSearchParams({ q, status: 'all' }).toString()}`);
        setText('');
      }}
    >
      <label htmlFor="site-search" className="visually-hidden">
        Search problems
      </label>
      <input id="site-search" type="search" name="q" value={text} maxLength={SEARCH_MAX_LENGTH} placeholder="Words or a reference" onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="button button--quiet">
        Search
      </button>
    </form>
  );
}
