/**
 * The pieces of setting up an authenticator app that the sign-in screen (staff enrolling at
 * sign-in) and the account page (families turning it on) share: the steps with the QR code and
 * the key as text, and the recovery codes shown once. Strings are in the `signin` namespace,
 * which every screen has loaded.
 */
import { css, html, type TemplateResult } from 'lit';
import type { TotpEnrolment } from '../../server/contract/auth.ts';
import { t } from '../app/i18n.ts';
import './hr-qr-code.ts';

/** A base32 key in groups of four, as authenticator apps show and take it (spaces are ignored). */
export function groupedKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export const authenticatorSetupStyles = css`
  ol.setup {
    margin: 0 0 var(--hr-space-4);
    padding-inline-start: 1.5rem;
  }
  ol.setup > li {
    margin-bottom: var(--hr-space-3);
  }
  ol.setup > li::marker {
    font-weight: 600;
  }
  .qr {
    display: block;
    margin: var(--hr-space-3) 0;
  }
  dl.key {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: var(--hr-space-1) var(--hr-space-3);
    margin: var(--hr-space-2) 0 0;
  }
  dl.key dt {
    color: var(--hr-color-ink-muted);
  }
  dl.key dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  code {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 1.05em;
    letter-spacing: 0.04em;
  }
  ol.recovery-codes {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
    gap: var(--hr-space-2) var(--hr-space-5);
    margin: 0 0 var(--hr-space-4);
    padding: var(--hr-space-3) var(--hr-space-4) var(--hr-space-3) 2.25rem;
    border: 1px dashed var(--hr-color-border);
    border-radius: var(--hr-radius);
  }
`;

/**
 * Install an app, scan the code (or type the key), then type the first code: `codeStep` is the
 * last step's content (the field and the button).
 */
export function renderAuthenticatorSteps(enrolment: TotpEnrolment, codeStep: TemplateResult): TemplateResult {
  return html`
    <ol class="setup">
      <li>${t('second-factor:enrol.install')}</li>
      <li>
        ${t('second-factor:enrol.scan')}
        <hr-qr-code class="qr" .value=${enrolment.uri} .label=${t('second-factor:enrol.qrLabel')}></hr-qr-code>
        <span id="manual-key">${t('second-factor:enrol.manual')}</span>
        <dl class="key" aria-labelledby="manual-key">
          <dt>${t('second-factor:enrol.account')}</dt>
          <dd>${enrolment.issuer} (${enrolment.account})</dd>
          <dt>${t('second-factor:enrol.key')}</dt>
          <dd><code id="secret">${groupedKey(enrolment.secret)}</code></dd>
          <dt>${t('second-factor:enrol.kind')}</dt>
          <dd>${t('second-factor:enrol.timeBased')}</dd>
        </dl>
      </li>
      <li>${codeStep}</li>
    </ol>
  `;
}

/** The ten recovery codes, shown once. */
export function renderRecoveryCodes(codes: readonly string[]): TemplateResult {
  return html`
    <ol class="recovery-codes" aria-label=${t('second-factor:recovery.listLabel')}>
      ${codes.map((code) => html`<li><code>${code}</code></li>`)}
    </ol>
  `;
}
