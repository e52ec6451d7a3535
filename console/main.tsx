// The web console's entry point (bundled by scripts/build-console.mjs into dist/console/).
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

render(<App />, document.getElementById('app')!);
