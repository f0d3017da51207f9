import type { ReactiveController, ReactiveControllerHost } from 'lit';
import i18next from 'i18next';

/** Re-renders its host whenever the language changes (after the new translations loaded). */
export class I18nController implements ReactiveController {
  private readonly host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    i18next.on('languageChanged', this.onLanguageChanged);
  }

  hostDisconnected(): void {
    i18next.off('languageChanged', this.onLanguageChanged);
  }

  private readonly onLanguageChanged = (): void => {
    this.host.requestUpdate();
  };
}
