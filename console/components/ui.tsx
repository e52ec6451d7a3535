// Small shared pieces of the console's pages.
import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../router.js';

export function Card(props: { readonly title?: string; readonly aside?: ComponentChildren; readonly class?: string; readonly children: ComponentChildren }) {
  return (
    <section class={`card ${props.class ?? ''}`}>
      {(props.title || props.aside) && (
        <header class="card-head">
          {props.title && <h2>{props.title}</h2>}
          {props.aside && <div class="card-aside">{props.aside}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

/** A headline number with its label. */
export function Tile(props: { readonly label: string; readonly value: ComponentChildren; readonly hint?: string; readonly tone?: string; readonly id?: string }) {
  return (
    <div class={`tile ${props.tone ?? ''}`} data-tile={props.id}>
      <div class="tile-label">{props.label}</div>
      <div class="tile-value">{props.value}</div>
      {props.hint && <div class="tile-hint">{props.hint}</div>}
    </div>
  );
}

export function Pill(props: { readonly tone: string; readonly children: ComponentChildren; readonly title?: string }) {
  return (
    <span class={`pill ${props.tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function Empty(props: { readonly children: ComponentChildren }) {
  return <div class="empty">{props.children}</div>;
}

export function ErrorNote(props: { readonly error: Error | undefined }) {
  return props.error ? <p class="error-note" role="alert">{props.error.message}</p> : null;
}

export function Link(props: { readonly href: string; readonly class?: string; readonly children: ComponentChildren }) {
  return (
    <a href={props.href} class={props.class} onClick={onLinkClick}>
      {props.children}
    </a>
  );
}

/** A placeholder while the first answer is on its way. */
export function Loading() {
  return <div class="loading" aria-busy="true">Loading…</div>;
}
