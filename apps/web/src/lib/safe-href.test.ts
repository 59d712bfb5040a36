import { describe, expect, it } from 'vitest';
import { webHref } from './safe-href.js';

describe('webHref', () => {
  it('links http(s) addresses only', () => {
    expect(webHref('https://www.acme.fr')).toBe('https://www.acme.fr/');
    expect(webHref(' http://acme.fr/a?b=1 ')).toBe('http://acme.fr/a?b=1');
    for (const value of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', 'acme.fr', '']) {
      expect(webHref(value), value).toBeUndefined();
    }
  });
});
