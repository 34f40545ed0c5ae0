/**
 * The language an element speaks, found as `lang` works in HTML: the element's own `lang`, else
 * the nearest ancestor's (across shadow roots), else the server's locale. It follows changes to any
 * of them and fetches the language's words when they are not here yet.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { hasMessages, loadMessages, supportedLanguage, translator, type Translate } from './messages.ts';

/** The nearest `lang` attribute from `element` up, crossing out of shadow roots; '' when there is none. */
function inheritedLang(element: Element): string {
  for (let node: Element | null = element; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) {
    const lang = node.getAttribute('lang');
    if (lang !== null) return lang;
  }
  return '';
}

export class LocalizeController implements ReactiveController {
  private observer: MutationObserver | null = null;
  private loaded: Promise<void> = Promise.resolve();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement, private readonly fallback: () => string | undefined) {
    host.addController(this);
  }

  /** The locale in effect, e.g. `de-AT`; `en-US` when neither the page nor the server names one. */
  get locale(): string {
    return inheritedLang(this.host) || this.fallback() || 'en-US';
  }

  /** The language whose words are shown: `de` for `de-AT`, English for languages without words. */
  get language(): string {
    return supportedLanguage(this.locale);
  }

  /** False while the words for the current language are on their way (nothing is rendered then). */
  get ready(): boolean {
    return hasMessages(this.language);
  }

  get t(): Translate {
    return translator(this.language);
  }

  /** Resolves once the current language's words have arrived (or failed to, leaving English). */
  whenReady(): Promise<void> {
    return this.loaded;
  }

  hostConnected(): void {
    // An ancestor's `lang` may change at any time (a language switcher on the page).
    this.observer = new MutationObserver(() => this.host.requestUpdate());
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  hostUpdate(): void {
    const language = this.language;
    if (!hasMessages(language)) this.loaded = loadMessages(language).then(() => this.host.requestUpdate());
  }
}
