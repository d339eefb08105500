import { useEffect, useState, type FormEvent } from 'react';
import { Loading, Notice } from '../components';
import { loadDevTokens, readClaims, requireUsable, startOidcSignIn, type ConsoleConfig, type DevToken, type Session } from '../session';
import { label } from '../vocab';

/**
 * Production: OIDC authorisation code + PKCE against the configured issuer. Development: the
 * demo users the API lists at `/v1/dev/tokens` (embedded quick start only), else a pasted token
 * (`npm run token -- ...`).
 */
export function SignInPage({ config, onSignIn }: { config: ConsoleConfig; onSignIn: (session: Session) => void }) {
  const [devTokens, setDevTokens] = useState<DevToken[]>();
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string>();
  const [redirecting, setRedirecting] = useState(false);

  useEffect(() => {
    if (config.oidc) return;
    void loadDevTokens().then(setDevTokens);
  }, [config.oidc]);

  const signInWith = (token: string, source: Session['source']) => {
    try {
      const claims = readClaims(token, config.claims);
      requireUsable(claims, config.claims);
      onSignIn({ token: token.trim(), source, claims });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const submitPasted = (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!pasted.trim()) {
      setError('Paste a token first.');
      return;
    }
    signInWith(pasted, 'pasted');
  };

  if (config.oidc) {
    const oidc = config.oidc;
    return (
      <section className="sign-in">
        <h1 tabIndex={-1}>Sign in</h1>
        <p>Sign in with your organisation’s account. You will come back here afterwards.</p>
        <button
          type="button"
          className="button"
          disabled={redirecting}
          onClick={() => {
            setRedirecting(true);
            startOidcSignIn(oidc, '/').catch((e: Error) => {
              setRedirecting(false);
              setError(`Could not reach the identity provider: ${e.message}`);
            });
          }}
        >
          {redirecting ? 'Opening the sign-in page…' : 'Sign in with your organisation'}
        </button>
        {error && <Notice kind="warning">{error}</Notice>}
      </section>
    );
  }

  return (
    <section className="sign-in">
      <h1 tabIndex={-1}>Sign in</h1>
      <p className="lead">A development deployment: choose a demo user, or paste a token.</p>
      {devTokens === undefined ? (
        <Loading what="demo users" />
      ) : devTokens.length > 0 ? (
        <section aria-labelledby="demo-users">
          <h2 id="demo-users">Sign in as</h2>
          <ul className="demo-users">
            {devTokens.map((t) => (
              <li key={`${t.label}-${t.agency}-${t.role}`}>
                <button type="button" className="button button--secondary demo-user" onClick={() => signInWith(t.token, 'dev')}>
                  <span className="demo-user__label">{t.label}</span>
                  <span className="demo-user__detail">
                    {label(t.role)} · {t.agency}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p>No demo users are offered by this server (they are listed only when the API runs with the quick-start development secret).</p>
      )}
      <form onSubmit={submitPasted} className="paste-token" noValidate>
        <h2>Paste a token</h2>
        <div className={`field${error ? ' field--error' : ''}`}>
          <label htmlFor="token">Bearer token (JWT)</label>
          <p className="hint" id="token-hint">
            For example the output of <code>npm run token -- --sub u1 --name "Insp. Ada Khan" --agency POLICE --roles inspector</code>. It stays in
            this browser tab only.
          </p>
          {error && (
            <p className="field-error" id="token-error">
              <span className="visually-hidden">Error: </span>
              {error}
            </p>
          )}
          <textarea
            id="token"
            name="token"
            rows={4}
            spellCheck={false}
            autoComplete="off"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            aria-describedby={`token-hint${error ? ' token-error' : ''}`}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <button type="submit" className="button">
          Sign in with this token
        </button>
      </form>
    </section>
  );
}
