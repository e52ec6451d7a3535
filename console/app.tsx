// The console's frame: the token first (no page shows anything without it), then the sidebar and the page.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiClient } from './api.js';
import { hrefOf, useRoute, type Route } from './router.js';
import { SessionContext, type Session } from './session.js';
import { forgetToken, keepToken, takeFragmentToken, takeInitialToken } from './token.js';
import { Link } from './components/ui.js';
import { TokenPrompt } from './views/token-prompt.js';
import { FunctionsView } from './views/functions-view.js';
import { FunctionView } from './views/function-view.js';
import { QueuesView } from './views/queues-view.js';
import { InvocationsView } from './views/invocations-view.js';
import { HostView } from './views/host-view.js';
import { HealthBadge } from './views/health-badge.js';

export function App() {
  const [token, setToken] = useState<string | null>(() => takeInitialToken());
  const [refusal, setRefusal] = useState<string | null>(null);
  // A signed-in link opened in a tab that already shows the console changes only the fragment: no reload.
  useEffect(() => {
    const onHash = () => {
      const fromLink = takeFragmentToken();
      if (fromLink !== null) {
        setRefusal(null);
        setToken(fromLink);
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const session = useMemo<Session | null>(() => {
    if (token === null) return null;
    const signOut = () => {
      forgetToken();
      setToken(null);
    };
    const api = apiClient(token, (message) => {
      forgetToken();
      setRefusal(`The host refused the token: ${message}`);
      setToken(null);
    });
    return { api, signOut };
  }, [token]);

  if (!session) {
    return (
      <TokenPrompt
        refusal={refusal}
        onAccepted={(accepted) => {
          keepToken(accepted);
          setRefusal(null);
          setToken(accepted);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}

const nav: ReadonlyArray<{ readonly route: Route; readonly label: string; readonly icon: string }> = [
  { route: { page: 'functions' }, label: 'Functions', icon: 'ƒ' },
  { route: { page: 'queues' }, label: 'Queues', icon: '≡' },
  { route: { page: 'invocations' }, label: 'Async invocations', icon: '↻' },
  { route: { page: 'host' }, label: 'Host', icon: '◉' },
];

function Shell() {
  const route = useRoute();
  const current = route.page === 'function' ? 'functions' : route.page;
  return (
    <div class="shell">
      <aside class="sidebar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true" />
          <span>wasmlet</span>
        </div>
        <nav>
          {nav.map((item) => (
            <Link key={item.label} href={hrefOf(item.route)} class={`nav-item ${current === item.route.page ? 'active' : ''}`}>
              <span class="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {item.label}
            </Link>
          ))}
        </nav>
        <div class="sidebar-foot">
          <HealthBadge />
        </div>
      </aside>
      <main class="main">
        <Page route={route} />
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'function':
      return <FunctionView key={route.name} name={route.name} />;
    case 'queues':
      return <QueuesView />;
    case 'invocations':
      return <InvocationsView />;
    case 'host':
      return <HostView />;
    default:
      return <FunctionsView />;
  }
}
