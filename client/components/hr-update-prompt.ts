import { LitElement, css, html } from 'lit';
import { I18nController } from '../app/i18n-controller.ts';
import { t } from '../app/i18n.ts';
import { baseStyles, buttonStyles } from '../app/shared-styles.ts';

/**
 * @summary Tells the user a new version is installed and waiting.
 * @event hr-update-accept - The user chose to reload into the new version.
 * @event hr-update-dismiss - The user chose to keep working; the prompt removes itself.
 */
export class HrUpdatePrompt extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host {
        position: fixed;
        right: var(--hr-space-3);
        bottom: var(--hr-space-3);
        left: var(--hr-space-3);
        z-index: 20;
        display: flex;
        justify-content: center;
        pointer-events: none;
      }
      .prompt {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: flex-end;
        max-width: 32rem;
        padding: var(--hr-space-3) var(--hr-space-4);
        border-radius: var(--hr-radius-large);
        background: var(--hr-color-surface);
        border: 1px solid var(--hr-color-border);
        box-shadow: var(--hr-shadow-raised);
        pointer-events: auto;
      }
      p {
        flex: 1 1 14rem;
        margin: var(--hr-space-1) var(--hr-space-3) var(--hr-space-1) 0;
        font-weight: 600;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
      }
      .button {
        margin: var(--hr-space-1) 0 var(--hr-space-1) var(--hr-space-2);
      }
    `,
  ];

  private readonly i18n = new I18nController(this);

  private onReload(): void {
    this.dispatchEvent(new CustomEvent('hr-update-accept', { bubbles: true, composed: true }));
  }

  private onDismiss(): void {
    this.dispatchEvent(new CustomEvent('hr-update-dismiss', { bubbles: true, composed: true }));
    this.remove();
  }

  override render() {
    return html`
      <div class="prompt" role="status">
        <p>${t('common:update.ready')}</p>
        <div class="actions">
          <button class="button secondary" type="button" @click=${this.onDismiss}>${t('common:update.later')}</button>
          <button class="button" type="button" @click=${this.onReload}>${t('common:update.reload')}</button>
        </div>
      </div>
    `;
  }
}

customElements.define('hr-update-prompt', HrUpdatePrompt);

declare global {
  interface GlobalEventHandlersEventMap {
    'hr-update-accept': CustomEvent<void>;
    'hr-update-dismiss': CustomEvent<void>;
  }
  interface HTMLElementTagNameMap {
    'hr-update-prompt': HrUpdatePrompt;
  }
}
