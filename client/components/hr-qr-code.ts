import { LitElement, css, html } from 'lit';
import qrcode from 'qrcode-generator';

/** Light modules around the code, as scanners expect. */
const QUIET_ZONE = 4;

/** The dark modules of `text` as a QR code (error correction M), and the code's width in modules. */
export function qrModules(text: string): { size: number; path: string } {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  let path = '';
  for (let row = 0; row < count; row++) {
    for (let column = 0; column < count; column++) {
      if (code.isDark(row, column)) path += `M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  return { size: count + 2 * QUIET_ZONE, path };
}

/**
 * @summary A QR code drawn as inline SVG (no image request, nothing from the network), for a
 * phone's camera to read, e.g. an authenticator app's otpauth:// address.
 */
export class HrQrCode extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      width: 12rem;
      max-width: 100%;
      line-height: 0;
    }
    svg {
      width: 100%;
      height: auto;
      background: #fff;
    }
  `;

  static override properties = {
    value: {},
    label: {},
  };

  /** What the code holds. */
  declare value: string;
  /** What it is, for people who cannot see it (read instead of the picture). */
  declare label: string;

  constructor() {
    super();
    this.value = '';
    this.label = '';
  }

  override render() {
    const { size, path } = qrModules(this.value);
    return html`<svg viewBox="0 0 ${size} ${size}" role="img" aria-label=${this.label} shape-rendering="crispEdges">
      <path fill="#000" d=${path} />
    </svg>`;
  }
}

customElements.define('hr-qr-code', HrQrCode);

declare global {
  interface HTMLElementTagNameMap {
    'hr-qr-code': HrQrCode;
  }
}
