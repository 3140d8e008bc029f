import { useEffect, useState } from 'react';
import { ChatView } from './components/ChatView';
import { ModelsTab } from './components/ModelsTab';
import { SettingsTab } from './components/SettingsTab';
import { ProviderBanner } from './components/ProviderBanner';
import { SearchDialog } from './components/SearchDialog';
import { useModels } from './lib/useModels';

type Tab = 'chat' | 'models' | 'settings';

const TABS: { id: Tab; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'models', label: 'Models' },
  { id: 'settings', label: 'Settings' },
];

/** Marks when the app shell is first on screen (read by the end-to-end test). */
export const APP_SHELL_MARK = 'neutron:app-shell';

export function App() {
  const [tab, setTab] = useState<Tab>('chat');
  const models = useModels();

  useEffect(() => {
    if (performance.getEntriesByName(APP_SHELL_MARK).length === 0) performance.mark(APP_SHELL_MARK);
  }, []);

  return (
    <div className="app" data-testid="app-shell">
      <header className="topbar">
        <div className="brand" aria-label="Neutron">
          <span className="brand-dot" aria-hidden="true" />
          <span className="brand-name">Neutron</span>
        </div>
        <nav className="tabs" role="tablist" aria-label="Sections">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              className={tab === t.id ? 'tab active' : 'tab'}
              data-testid={`tab-${t.id}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <SearchDialog onOpened={() => setTab('chat')} />
      </header>
      <ProviderBanner models={models} />
      <main className="panels">
        {/* The chat stays mounted on other tabs so running answers keep streaming. */}
        <section id="panel-chat" role="tabpanel" aria-labelledby="tab-chat" className="panel" hidden={tab !== 'chat'}>
          <ChatView models={models} visible={tab === 'chat'} />
        </section>
        {tab === 'models' && (
          <section id="panel-models" role="tabpanel" aria-labelledby="tab-models" className="panel scroll">
            <ModelsTab models={models} />
          </section>
        )}
        {tab === 'settings' && (
          <section id="panel-settings" role="tabpanel" aria-labelledby="tab-settings" className="panel scroll">
            <SettingsTab models={models} onSaved={models.refresh} />
          </section>
        )}
      </main>
    </div>
  );
}
