import { expect } from 'chai';
import { describe, it } from '../test/mocha.ts';
import { minifyCssLiterals, minifyCssText } from './minify-css-literals.ts';

describe('minify-css-literals (build step)', () => {
  it('drops comments, indentation and line breaks, the spaces around braces, semicolons and commas, and after colons', () => {
    const text = `
      /* A comment. */
      :host {
        display: block;
        margin: 0 auto;
      }
      a:focus,
      button:focus {
        outline: 3px solid var(--hr-color-focus);
      }
      @media (max-width: 40rem) {
        .card { padding: calc(1rem + 2px); }
      }
      .list :first-child {
        margin: 0;
      }
    `;
    // A template's first space goes in minifyCssLiterals (the text between two `${…}` keeps its own).
    expect(minifyCssText(text)).to.equal(
      ' :host{display:block;margin:0 auto}a:focus,button:focus{outline:3px solid var(--hr-color-focus)}@media (max-width:40rem){.card{padding:calc(1rem + 2px)}}.list :first-child{margin:0}',
    );
  });

  it('keeps quoted strings as they are', () => {
    expect(minifyCssText(`.a::before { content: ' · , ; '; }\n .b { background: url("data:image/svg+xml,%3Csvg viewBox='0 0 16 16'%3E"); }`)).to.equal(
      `.a::before{content:' · , ; '}.b{background:url("data:image/svg+xml,%3Csvg viewBox='0 0 16 16'%3E")}`,
    );
  });

  it('minifies css`…` templates only, keeping each ${…} and the code around them', () => {
    const source = [
      "const styles = css`",
      '  .a {',
      '    color: ${unsafeCSS(`red`)};',
      '  }',
      '  ${other}',
      '`;',
      'const markup = html`<p>  two  spaces  </p>`;',
      'const nested = css`.b { width: ${sizes.map((size) => `${size}px`).join(" ")}; }`;',
    ].join('\n');
    expect(minifyCssLiterals(source)).to.equal(
      [
        'const styles = css`.a{color:${unsafeCSS(`red`)}}${other}`;',
        'const markup = html`<p>  two  spaces  </p>`;',
        'const nested = css`.b{width:${sizes.map((size) => `${size}px`).join(" ")}}`;',
      ].join('\n'),
    );
  });
});
