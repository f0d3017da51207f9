import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onLanguageChanged } from './i18n.ts';

/** Announced when the district's names arrive in the reader's language (client/data/district-words.ts). */
const DISTRICT_WORDS_EVENT = 'homeroom-district-words';

/**
 * Re-renders its host whenever the language changes (after the new translations loaded), and when
 * the district's names in that language arrive.
 */
export class I18nController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = onLanguageChanged(this.update);
    window.addEventListener(DISTRICT_WORDS_EVENT, this.update);
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    window.removeEventListener(DISTRICT_WORDS_EVENT, this.update);
  }

  private readonly update = (): void => {
    this.host.requestUpdate();
  };
}
