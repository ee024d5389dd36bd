// Tauliah's explorer: GraphiQL, loaded from this origin by the page before this
// script (React, ReactDOM and GraphiQL globals), opened on the README's
// example for each stakeholder. Its settings come from the page as inert JSON
// (see gateway/src/explorer/page.ts); the page allows no inline script.
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('explorer-config').textContent);
  const h = React.createElement;

  /** The header editor's contents that send a token (as gateway/src/explorer/page.ts writes them). */
  function headersWithToken(token) {
    return '{"authorization": ' + JSON.stringify('Bearer ' + token) + '}';
  }

  // The tabs and the header editor live as long as the page: each visit opens the examples again with the
  // tokens of this run, and no token is left in the browser's storage. History and layout are remembered.
  const PAGE_ONLY = new Set(['graphiql:tabState', 'graphiql:headers']);
  const memory = new Map();
  function local(method) {
    const args = Array.prototype.slice.call(arguments, 1);
    try {
      return window.localStorage[method].apply(window.localStorage, args);
    } catch {
      return null; // Storage disabled (private window, policy): the explorer still works, remembering nothing.
    }
  }
  const storage = {
    getItem: (key) => (PAGE_ONLY.has(key) ? (memory.has(key) ? memory.get(key) : null) : local('getItem', key)),
    setItem: (key, value) => (PAGE_ONLY.has(key) ? memory.set(key, value) : local('setItem', key, value)),
    removeItem: (key) => (PAGE_ONLY.has(key) ? memory.delete(key) : local('removeItem', key)),
    clear: () => memory.clear(),
    get length() {
      return memory.size;
    },
  };

  function KeyIcon() {
    return h(
      'svg',
      { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true', width: '1em', height: '1em' },
      h('circle', { cx: 8, cy: 15, r: 4 }),
      h('path', { d: 'M10.8 12.2 19 4m-3 3 2.5 2.5M14 9l2 2' }),
    );
  }

  /** The Tokens pane: in embedded mode the demo personas, one click each; otherwise how to send your own token. */
  function TokensPane() {
    const editors = GraphiQL.React.useEditorContext({ nonNull: true });
    const use = (headers) => {
      if (editors.headerEditor) editors.headerEditor.setValue(headers);
    };
    const intro = h(
      'p',
      null,
      'A request is sent with the headers of its tab (the Headers pane under the query). ',
      'Tokens go in ',
      h('code', null, '{"authorization": "Bearer <token>"}'),
      '.',
    );
    if (config.personas.length === 0) {
      return h(
        'div',
        { className: 'tauliah-tokens' },
        h('div', { className: 'graphiql-doc-explorer-title' }, 'Tokens'),
        intro,
        h('p', null, 'Paste a token from your identity provider in place of <token>. In development, ', h('code', null, 'npx tauliah token --role LEARNER'), ' mints one.'),
      );
    }
    return h(
      'div',
      { className: 'tauliah-tokens' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Tokens'),
      intro,
      h('p', null, "Each example's tab already sends its stakeholder's demo token. Send a persona's in the current tab:"),
      h(
        'ul',
        null,
        h(
          'li',
          { key: 'public' },
          h('button', { type: 'button', className: 'graphiql-button', onClick: () => use('{}') }, 'Public'),
          h('span', null, 'no token: what anyone may see'),
        ),
        config.personas.map((persona) =>
          h(
            'li',
            { key: persona.role },
            h('button', { type: 'button', className: 'graphiql-button', onClick: () => use(headersWithToken(persona.token)) }, persona.role),
            h('span', null, persona.description),
          ),
        ),
      ),
    );
  }

  const tokensPlugin = { title: 'Tokens', icon: KeyIcon, content: TokensPane };

  const send = GraphiQL.createFetcher({ url: config.endpoint });
  /**
   * Run straight after switching tabs, GraphiQL can still send the previous tab's operation name, which the
   * gateway refuses: a name the document does not define is left out, so its one operation runs.
   */
  function fetcher(params, options) {
    const name = params.operationName;
    if (name && !new RegExp('\\b(query|mutation|subscription)\\s+' + name + '\\b').test(params.query)) {
      return send(Object.assign({}, params, { operationName: undefined }), options);
    }
    return send(params, options);
  }

  ReactDOM.createRoot(document.getElementById('explorer')).render(
    h(
      GraphiQL,
      {
        fetcher: fetcher,
        defaultTabs: config.tabs,
        storage: storage,
        plugins: [tokensPlugin],
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
        defaultEditorToolsVisibility: 'headers',
      },
      h(GraphiQL.Logo, null, 'Tauliah explorer'),
    ),
  );
})();
